"""The search index: folded text per recording and per narrative and annotation, rebuilt for a
recording whenever it changes (and by a sweep for any whose rebuild was missed)."""
from django.db import models


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        TITLE = "title"
        RECORD = "record"
        NARRATIVE = "narrative"
        ANNOTATION = "annotation"

    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="search_documents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    annotation = models.ForeignKey("archive.Annotation", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    narrative = models.ForeignKey("archive.Narrative", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    start = models.FloatField(null=True, blank=True)
    text = models.TextField()
    folded = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["recording", "kind"])]

    def __str__(self):
        return f"{self.kind} of {self.recording_id}"
