"""Communities and their members. A community owns its recordings and decides who may see them."""
import uuid

from django.conf import settings
from django.db import models


class Community(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="communities")
    note_correctors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="correcting_notes_for",
        help_text="people outside the community its stewards allow to correct its transcriptions (a linguist, a teacher)")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member"
        STEWARD = "steward"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_user")]
        ordering = ["community", "user"]

    def __str__(self):
        return f"{self.user} in {self.community} ({self.role})"
