"""A community's projects on the Local Contexts Hub: the labels and notices the community set up
there, read through the Hub's API and kept here (so that pages never wait on the Hub, and a Hub
away changes nothing)."""
import uuid

from django.conf import settings
from django.db import models

from .community import Community


class HubProject(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="hub_projects")
    project_id = models.UUIDField(help_text="the project's unique_id on the Hub")
    title = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="the project as the Hub's API last answered")
    api_version = models.CharField(max_length=4, blank=True, help_text="v1 or v2, read from the answer's shape")
    fetched_at = models.DateTimeField(null=True, blank=True, help_text="when the Hub last answered")
    error = models.TextField(blank=True, help_text="why the last refresh failed (what was kept stays)")
    job_id = models.UUIDField(null=True, blank=True, help_text="the newest refresh job")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community", "title"]
        constraints = [models.UniqueConstraint(fields=["community", "project_id"], name="hub_project_once")]

    def __str__(self):
        return f"{self.community}: {self.title or self.project_id}"
