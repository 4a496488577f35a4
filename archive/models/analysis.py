"""One analysis row per (recording, analyser, version): a short status, the curated
descriptors in the database, bulky output (pitch contour, notes) in files."""
import uuid

from django.db import models


class Analysis(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        OK = "ok"
        SKIPPED = "skipped"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="analyses")
    analyser = models.CharField(max_length=64)
    version = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    versions = models.JSONField(default=dict, blank=True, help_text="analyser, essentia and numpy versions that made it")
    summary = models.JSONField(default=dict, blank=True)
    tonic_hz = models.FloatField(null=True, blank=True)
    tonic_method = models.CharField(max_length=64, blank=True)
    tonic_confidence = models.FloatField(null=True, blank=True)
    tempo_bpm = models.FloatField(null=True, blank=True)
    pulse_confidence = models.FloatField(null=True, blank=True)
    loudness_lufs = models.FloatField(null=True, blank=True)
    features = models.JSONField(null=True, blank=True, help_text="L2-normalised feature vector")
    pitch_file = models.CharField(max_length=500, blank=True)
    notes_file = models.CharField(max_length=500, blank=True)
    compute_seconds = models.FloatField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["recording", "analyser", "version"], name="one_analysis_per_version")]

    def __str__(self):
        return f"{self.recording_id} {self.analyser} {self.version} [{self.status}]"
