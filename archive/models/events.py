"""Preservation events in the manner of PREMIS: what happened to a recording, when, by whom, with what outcome."""
import uuid

from django.conf import settings
from django.db import models


class PreservationEvent(models.Model):
    class Type(models.TextChoices):
        INGESTION = "ingestion"
        MESSAGE_DIGEST = "message digest calculation"
        FORMAT_IDENTIFICATION = "format identification"
        DERIVATION = "derivation"
        FIXITY_CHECK = "fixity check"
        REPLICATION = "replication"
        REPAIR = "repair"
        EXPORT = "export"
        PUBLICATION = "publication"
        WITHDRAWAL = "withdrawal"
        ERASURE = "erasure"
        ACCESS_DECISION = "access decision"

    class Outcome(models.TextChoices):
        SUCCESS = "success"
        FAILURE = "failure"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40, choices=Type.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agent_name = models.CharField(max_length=120, default="songkeeper")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"{self.type} {self.outcome} at {self.at:%Y-%m-%d %H:%M}"
