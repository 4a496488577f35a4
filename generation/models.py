"""Style models (one per training run, with its frozen manifest), the recordings each learned
from (the index that retirement follows), and the study examples they generate."""
import uuid

from django.conf import settings
from django.db import models


class StyleModel(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        TRAINING = "training"
        READY = "ready"
        FAILED = "failed"
        RETIRED = "retired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tradition = models.ForeignKey("archive.Tradition", on_delete=models.PROTECT, related_name="style_models")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="style_models")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    job = models.ForeignKey("worker.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    manifest = models.JSONField(default=dict, help_text="recordings, file and notes sha256s, analysis versions: frozen")
    credits = models.JSONField(default=list, blank=True, help_text="communities to credit, with their attribution texts")
    labels = models.JSONField(default=list, blank=True, help_text="label codes every example inherits")
    pitch_set = models.JSONField(default=list, blank=True, help_text="the tradition's degrees in cents above the tonic")
    tonic_hz = models.FloatField(null=True, blank=True)
    tempo_bpm = models.FloatField(null=True, blank=True)
    pulse = models.BooleanField(default=False, help_text="durations in beats (a pulse) or seconds (free rhythm)")
    timbre = models.JSONField(null=True, blank=True, help_text="harmonic amplitudes measured on the recordings")
    metrics = models.JSONField(default=dict, blank=True)
    chosen = models.CharField(max_length=16, blank=True, help_text="markov or transformer: the better on held-out data")
    corpus_file = models.CharField(max_length=500, blank=True)
    checkpoint_file = models.CharField(max_length=500, blank=True)
    versions = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    trained_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.tradition} model {self.pk} [{self.status}]"

    @property
    def metre(self) -> str | None:
        """The time signature its examples are engraved in, as its corpus shows it (4/4 for a model
        trained before that was measured); None: free rhythm, engraved unmetered."""
        if not self.pulse:
            return None
        return (self.metrics.get("metre") or {}).get("signature") or "4/4"


class ModelSource(models.Model):
    """A recording a model learned from. The recording may later be erased; its id stays."""

    model = models.ForeignKey(StyleModel, on_delete=models.CASCADE, related_name="sources")
    recording = models.ForeignKey("archive.Recording", null=True, on_delete=models.SET_NULL, related_name="+")
    recording_uuid = models.UUIDField(db_index=True)
    community = models.ForeignKey("archive.Community", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "recording_uuid"], name="one_source_row")]

    def __str__(self):
        return f"{self.model_id} learned from {self.recording_uuid}"


class StudyExample(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    model = models.ForeignKey(StyleModel, on_delete=models.CASCADE, related_name="examples")
    job = models.ForeignKey("worker.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    index = models.PositiveIntegerField(default=0)
    seed = models.BigIntegerField()
    constraints = models.JSONField(default=dict)
    notes = models.JSONField(default=list)
    musicxml_file = models.CharField(max_length=500, blank=True)
    svg_file = models.CharField(max_length=500, blank=True)
    midi_file = models.CharField(max_length=500, blank=True)
    audio_file = models.CharField(max_length=500, blank=True)
    ogg_file = models.CharField(max_length=500, blank=True, help_text="the audio as Ogg Vorbis, beside the WAV")
    practice_set = models.ForeignKey("PracticeSet", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="examples", help_text="the graded set it belongs to, if any")
    provenance = models.JSONField(default=dict)
    labels = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["model", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="one_example_per_job_index")]

    def __str__(self):
        return f"example {self.index + 1} of {self.model_id}"


class PracticeSet(models.Model):
    """Examples graded from easy to hard, made by one request, with the teacher's title and note; it
    is seen by whoever may see its model (a class shares it as it shares the model), and downloads
    as one bundle."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    model = models.ForeignKey(StyleModel, on_delete=models.CASCADE, related_name="practice_sets")
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text="the teacher's note to the students")
    request = models.JSONField(default=dict, help_text="what was asked: count, longest length, range, ends, seed")
    job = models.ForeignKey("worker.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bundle_file = models.CharField(max_length=500, blank=True, help_text="the zip: scores, PDF, MIDI, audio, README")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.title
