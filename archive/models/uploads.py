"""Resumable (tus 1.0.0) uploads in progress, and the batches a bulk ingest from the browser sends
them in: bytes land in a file under TUS_UPLOAD_DIR."""
import uuid

from django.conf import settings
from django.db import models


class IngestBatch(models.Model):
    """A CSV manifest a steward checked in the browser, waiting for the audio files its good rows
    name; once they have all arrived, a job ingests it exactly as `manage.py ingest` would."""
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ingest_batches")
    filename = models.CharField(max_length=255, help_text="the manifest's name on the steward's computer")
    manifest = models.TextField(help_text="the manifest's text (UTF-8 CSV)")
    files = models.JSONField(default=list, help_text="the file names its good rows name, each to be uploaded once")
    job_id = models.UUIDField(null=True, blank=True, help_text="the ingest job, once started")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"ingest batch {self.id} ({self.filename})"


class Upload(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="uploads", null=True,
                                  blank=True)
    batch = models.ForeignKey(IngestBatch, on_delete=models.CASCADE, related_name="uploads", null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=255)
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        constraints = [models.CheckConstraint(
            condition=models.Q(recording__isnull=False, batch__isnull=True) | models.Q(recording__isnull=True,
                                                                                      batch__isnull=False),
            name="upload_for_a_recording_or_a_batch")]

    def __str__(self):
        return f"upload {self.id} {self.offset}/{self.length}"

    @property
    def path(self):
        return settings.TUS_UPLOAD_DIR / str(self.id)

    @property
    def complete(self) -> bool:
        return self.offset == self.length
