"""People's corrections of a recording's transcribed notes: every save a new numbered version,
never changed afterwards (version 0 is the analysis' own, automatic notes)."""
import uuid

from django.conf import settings
from django.db import models


class Transcription(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="transcriptions")
    number = models.PositiveIntegerField(help_text="1, 2, … per recording; 0 is the automatic transcription")
    based_on = models.PositiveIntegerField(help_text="the version this one corrected")
    analysis = models.ForeignKey("archive.Analysis", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", help_text="the analysis whose tonic and pitch set the notes are read in")
    notes_file = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    note_count = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recording", "-number"]
        constraints = [models.UniqueConstraint(fields=["recording", "number"], name="one_transcription_per_number")]

    def __str__(self):
        return f"{self.recording_id} transcription {self.number}"
