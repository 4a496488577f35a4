"""What people add to a recording: narratives, time-coded annotations, proposed changes."""
import uuid

from django.conf import settings
from django.db import models

from .access import Protocol, ProtocolLevel
from .community import Community


class Narrative(models.Model):
    """A community's own account of a recording; each community has its own, none overwrites another."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="narratives")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="narratives")
    title = models.CharField(max_length=300)
    text = models.TextField()
    language = models.CharField(max_length=3, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["community__name", "created"]

    def __str__(self):
        return self.title


class Annotation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="annotations")
    start = models.FloatField()
    end = models.FloatField()
    body = models.TextField()
    language = models.CharField(max_length=3, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    protocol = models.CharField(max_length=16, choices=ProtocolLevel.choices, default=ProtocolLevel.PUBLIC)
    custom_protocol = models.ForeignKey(Protocol, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    content_warning = models.TextField(blank=True)
    layer = models.CharField(max_length=120, blank=True, help_text="e.g. an imported transcript's tier")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "end"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__gte=0) & models.Q(end__gte=models.F("start")), name="annotation_times"),
        ]
        # whether a matched annotation is open to whoever sees its recording, read from the index
        # alone (the annotation search asks it of thousands: at 500,000 recordings 80 ms -> 20)
        indexes = [models.Index(fields=["id", "protocol"], name="annotation_protocol")]

    def __str__(self):
        return f"{self.start:.1f}–{self.end:.1f} s: {self.body[:60]}"


class Proposal(models.Model):
    """A change to a recording's community-owned fields, waiting for a steward."""

    class Status(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals")
    changes = models.JSONField()
    comment = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"proposal for {self.recording_id} [{self.status}]"
