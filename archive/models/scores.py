"""A symbolic transcription (score) attached to a recording by its community."""
import uuid

from django.conf import settings
from django.db import models


class Score(models.Model):
    class Format(models.TextChoices):
        MUSICXML = "musicxml"
        MIDI = "midi"
        ABC = "abc"
        KERN = "kern"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="scores")
    format = models.CharField(max_length=16, choices=Format.choices)
    storage_name = models.CharField(max_length=500, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=300, blank=True)
    notes = models.PositiveIntegerField(default=0, help_text="pitched notes in the melody read from it")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]

    def __str__(self):
        return self.title or self.original_name or str(self.pk)
