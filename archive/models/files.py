"""Stored files of a recording: the preservation master (never modified) and its derivatives."""
import uuid

from django.conf import settings
from django.db import models


class RecordingFile(models.Model):
    class Role(models.TextChoices):
        MASTER = "master"
        ACCESS = "access"
        PEAKS = "peaks"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=16, choices=Role.choices)
    storage_name = models.CharField(max_length=500, unique=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    original_name = models.CharField(max_length=255, blank=True, help_text="the uploader's file name, kept as metadata")
    container = models.CharField(max_length=16, blank=True)
    codec = models.CharField(max_length=32, blank=True)
    sample_rate = models.PositiveIntegerField(null=True, blank=True)
    channels = models.PositiveSmallIntegerField(null=True, blank=True)
    bit_depth = models.PositiveSmallIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    technical = models.JSONField(default=dict, blank=True, help_text="bext / INFO fields and other technical metadata")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    fixity_checked_at = models.DateTimeField(null=True, blank=True, db_index=True)
    fixity_ok = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["recording", "role"]
        constraints = [models.UniqueConstraint(fields=["recording", "role"], name="one_file_per_role")]

    def __str__(self):
        return f"{self.recording_id} {self.role} {self.sha256[:12]}"


class FileCopy(models.Model):
    """A copy of a stored file in one of the replica locations (settings.STORAGE_REPLICAS), under the
    same name, with its own checksum and check date: the primary storage holds the file itself
    (RecordingFile), each replica one of these."""
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.ForeignKey(RecordingFile, on_delete=models.CASCADE, related_name="copies")
    location = models.CharField(max_length=64, help_text="the replica's name in STORAGE_REPLICAS")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    stored_at = models.DateTimeField()
    checked_at = models.DateTimeField()
    ok = models.BooleanField(help_text="its sha256 and size matched those taken at ingest when last checked")

    class Meta:
        ordering = ["file", "location"]
        constraints = [models.UniqueConstraint(fields=["file", "location"], name="one_copy_per_location")]

    def __str__(self):
        return f"{self.file_id} at {self.location} ({'ok' if self.ok else 'bad'})"
