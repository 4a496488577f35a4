"""Things recordings refer to: traditions, collections, people, instruments, languages, places."""
import uuid

from django.db import models

from .community import Community


class Tradition(models.Model):
    """A musical tradition. ``names`` holds its names in several languages and scripts:
    ``[{"language": "hin", "name": "हिन्दुस्तानी संगीत"}, ...]``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    name = models.CharField(max_length=200)
    names = models.JSONField(default=list, blank=True)
    region = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    has_drone = models.BooleanField(default=False, help_text="music over a drone: the tonic is read from the drone")
    notation = models.JSONField(default=dict, blank=True, help_text='the tradition\'s own names for its degrees, '
                                'written under the staff: {"system": "sargam" | "jianpu" | "names", '
                                '"names": [[cents, name], …]} (music/notation.py); empty: the staff alone')
    communities = models.ManyToManyField(Community, related_name="traditions", blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Collection(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="collections")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, db_index=True)
    alt_names = models.JSONField(default=list, blank=True)
    community = models.ForeignKey(Community, null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    deceased = models.BooleanField(default=False)
    content_warning = models.TextField(blank=True, help_text="shown before every recording that names this person")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name


class Instrument(models.Model):
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Language(models.Model):
    """An ISO 639-3 language."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.name else self.code


class Place(models.Model):
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["country", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(lat__gte=-90, lat__lte=90) | models.Q(lat__isnull=True), name="place_lat_range"),
            models.CheckConstraint(condition=models.Q(lon__gte=-180, lon__lte=180) | models.Q(lon__isnull=True), name="place_lon_range"),
        ]

    def __str__(self):
        return f"{self.name}, {self.country}" if self.country else self.name


