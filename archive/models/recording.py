"""The recording: the archive's unit of description, owned by a community."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .access import Label, Protocol, ProtocolLevel
from .catalogue import Collection, Instrument, Language, Person, Place, Tradition
from .community import Community


class Recording(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Consent(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        NOT_ALLOWED = "not_allowed", _("not allowed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=300)
    alt_titles = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    tradition = models.ForeignKey(Tradition, on_delete=models.PROTECT, related_name="recordings")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="recordings")
    collection = models.ForeignKey(Collection, null=True, blank=True, on_delete=models.SET_NULL, related_name="recordings")
    people = models.ManyToManyField(Person, through="RecordingPerson", related_name="recordings", blank=True)
    instruments = models.ManyToManyField(Instrument, related_name="recordings", blank=True)
    languages = models.ManyToManyField(Language, related_name="recordings", blank=True)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="recordings")
    date = models.CharField(max_length=10, blank=True, help_text="partial ISO date: 1970s, 1983, 1983-05, 1983-05-12")
    year_from = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    year_to = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    rights = models.TextField(blank=True)
    genre = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    record_protocol = models.CharField(max_length=16, choices=ProtocolLevel.choices, default=ProtocolLevel.COMMUNITY)
    record_custom_protocol = models.ForeignKey(Protocol, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    media_protocol = models.CharField(max_length=16, choices=ProtocolLevel.choices, default=ProtocolLevel.COMMUNITY)
    media_custom_protocol = models.ForeignKey(Protocol, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    labels = models.ManyToManyField(Label, through="RecordingLabel", related_name="recordings", blank=True)
    training_consent = models.CharField(max_length=16, choices=Consent.choices, default=Consent.NOT_ALLOWED)
    tonic_hz = models.FloatField(null=True, blank=True)
    tonic_source = models.CharField(max_length=16, blank=True, help_text="'hand' when set by a person")
    tempo_bpm = models.FloatField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    once_public = models.BooleanField(default=False, help_text="was published with a public record protocol "
                                      "(set by a database trigger): OAI-PMH may have announced it")
    search_dirty = models.BooleanField(default=True, db_index=True, help_text="its search documents need rebuilding")
    content_warning = models.TextField(blank=True, help_text="the community's own words, shown before the recording")

    history = HistoricalRecords(m2m_fields=[instruments, languages], excluded_fields=["modified", "search_dirty", "once_public"])

    class Meta:
        ordering = ["-created"]
        # the sweep's "dirty ones, oldest first" (every search asks): only the few dirty rows, in order
        indexes = [
            models.Index(fields=["modified"], condition=models.Q(search_dirty=True), name="recording_search_dirty"),
            # every column archive/access.py decides on, with the id: the caller's visible recordings
            # are read from this index alone, not from the table (at 500,000 recordings a scan of
            # 60 ms instead of 150, in every search; migration 0027)
            models.Index(fields=["status", "record_protocol", "media_protocol", "community", "created_by",
                                 "record_custom_protocol", "media_custom_protocol", "id"], name="recording_policy"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(tonic_hz__gt=0) | models.Q(tonic_hz__isnull=True), name="tonic_positive"),
            models.CheckConstraint(condition=models.Q(tempo_bpm__gt=0) | models.Q(tempo_bpm__isnull=True), name="tempo_positive"),
            models.CheckConstraint(
                condition=models.Q(duration_seconds__gte=0) | models.Q(duration_seconds__isnull=True), name="duration_nonnegative"
            ),
        ]

    def __str__(self):
        return self.title


class RecordingPerson(models.Model):
    class Role(models.TextChoices):
        PERFORMER = "performer"
        RECORDIST = "recordist"
        COLLECTOR = "collector"
        COMPOSER = "composer"
        TRANSLATOR = "translator"
        TRANSCRIBER = "transcriber"
        INTERVIEWER = "interviewer"
        SPEAKER = "speaker"

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PERFORMER)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["recording", "person", "role"], name="credit_unique")]

    def __str__(self):
        return f"{self.person} ({self.role})"


class RecordingLabel(models.Model):
    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="label_links")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="recording_links")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recording", "label"], name="label_once_per_recording")]

    def __str__(self):
        return self.label_id
