"""Recordings coming home: the other archives a community harvests from, and the candidates a
harvest proposes. A candidate is not a recording: only the community's stewards see it, until one
of them accepts it (a new recording, private by default) or merges it with one they hold."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .community import Community


class HarvestSource(models.Model):
    class Kind(models.TextChoices):
        OAI_PMH = "oai", _("OAI-PMH repository")
        IIIF = "iiif", _("IIIF manifests or collections")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="harvest_sources")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    base_url = models.URLField(max_length=500, blank=True, help_text="the OAI-PMH base URL")
    metadata_prefix = models.CharField(max_length=32, blank=True, default="olac", help_text="olac, or oai_dc")
    set_spec = models.CharField(max_length=200, blank=True, help_text="harvest only this OAI-PMH set")
    harvest_from = models.DateField(null=True, blank=True, help_text="harvest records changed from this day")
    harvest_until = models.DateField(null=True, blank=True, help_text="and up to this day (empty: up to now)")
    manifest_urls = models.JSONField(default=list, blank=True, help_text="IIIF manifest or collection URLs")
    position = models.JSONField(default=dict, blank=True,
                                help_text="where an interrupted harvest resumes: the resumption token, or the "
                                          "manifests still to read, and the counts so far")
    last_started = models.DateTimeField(null=True, blank=True)
    last_completed = models.DateTimeField(null=True, blank=True,
                                          help_text="the start of the last complete harvest: the next asks from it")
    job_id = models.UUIDField(null=True, blank=True, help_text="the newest harvest job: its state, progress and error "
                                                             "are the harvest's")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="harvest_source_name_unique")]

    def __str__(self):
        return f"{self.community}: {self.name}"


class HarvestCandidate(models.Model):
    """One record of a source, mapped to the archive's fields, with the raw record as provenance."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("waiting for a decision")
        ACCEPTED = "accepted", _("accepted as a new recording")
        MERGED = "merged", _("merged with a recording")
        REJECTED = "rejected", _("rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="candidates")
    identifier = models.CharField(max_length=500, help_text="the record's identifier at the source")
    url = models.URLField(max_length=1000, blank=True, help_text="where the record can be read at the source")
    datestamp = models.CharField(max_length=40, blank=True, help_text="the source's datestamp of the record")
    fields = models.JSONField(default=dict, help_text="the record mapped to the archive's fields")
    licence = models.TextField(blank=True, help_text="the source's rights or licence statement")
    media_url = models.URLField(max_length=1000, blank=True, help_text="the audio the source offers, if any")
    raw = models.TextField(help_text="the record as the source sent it (XML or JSON)")
    raw_format = models.CharField(max_length=16, help_text="olac, oai_dc or iiif")
    checksum = models.CharField(max_length=64, help_text="sha256 of the mapped fields: a change at the source moves it")
    deleted_at_source = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PROPOSED, db_index=True)
    recording = models.ForeignKey("archive.Recording", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="harvested_from")
    source_changed = models.BooleanField(default=False, help_text="the source changed the record after a steward "
                                                                  "accepted or merged it")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_seen", "identifier"]
        constraints = [models.UniqueConstraint(fields=["source", "identifier"], name="candidate_once_per_source")]
        indexes = [models.Index(fields=["source", "state"])]

    def __str__(self):
        return f"{self.identifier} [{self.state}]"

    @property
    def title(self) -> str:
        return self.fields.get("title") or self.identifier
