"""What decides who sees what: protocols, Local Contexts labels and the rules a
community binds to them, and access requests. The decision itself is made in
``archive.access`` and nowhere else."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .community import Community


class ProtocolLevel(models.TextChoices):
    """Built-in protocols, from open to closed; CUSTOM means a community-defined Protocol."""

    PUBLIC = "public", _("Everyone")
    REGISTERED = "registered", _("Anyone signed in")
    COMMUNITY = "community", _("Members of the community")
    CUSTOM = "custom", _("The people the community's own protocol names")
    STEWARDS = "stewards", _("The community's stewards only")


# How strict each level is; media must be at least as strict as the record.
LEVEL_RANK = {
    ProtocolLevel.PUBLIC: 0,
    ProtocolLevel.REGISTERED: 1,
    ProtocolLevel.COMMUNITY: 2,
    ProtocolLevel.CUSTOM: 3,
    ProtocolLevel.STEWARDS: 4,
}


class Protocol(models.Model):
    """A protocol a community defines with named members, e.g. an initiated group."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="protocols")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    translations = models.JSONField(default=dict, blank=True,
                                    help_text='the community\'s wording in other languages: {"es": {"name": …, "description": …}}')
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="protocols", blank=True)

    class Meta:
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="protocol_name_unique")]

    def __str__(self):
        return f"{self.community}: {self.name}"


class Label(models.Model):
    """A Local Contexts TK or BC Label (the catalogue is loaded from archive.labels)."""

    class Kind(models.TextChoices):
        TK = "TK"
        BC = "BC"

    code = models.CharField(max_length=64, primary_key=True)
    kind = models.CharField(max_length=2, choices=Kind.choices)
    name = models.CharField(max_length=120)
    description = models.TextField()
    icon = models.CharField(max_length=16, blank=True, help_text="short mark shown in the label badge")
    translations = models.JSONField(default=dict, blank=True,
                                    help_text='the label in other languages: {"es": {"name": …, "description": …}}')

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class LabelRule(models.Model):
    """A community's binding of a label to a rule the archive enforces.

    * Secret/Sacred: visible only under ``protocol_level`` (community or stewards), never trained on.
    * Seasonal: outside ``season_start``..``season_end`` (MM-DD, may wrap the year end)
      only the community sees it.
    * Attribution: ``text`` is shown wherever the recording or its derivatives appear.
    * Non-Commercial: inherited by every derived example.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="label_rules")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="rules")
    text = models.TextField(blank=True, help_text="the community's own wording of the label")
    translations = models.JSONField(default=dict, blank=True,
                                    help_text='that wording in other languages: {"es": {"text": …}}')
    protocol_level = models.CharField(
        max_length=16, choices=[(ProtocolLevel.COMMUNITY, "community"), (ProtocolLevel.STEWARDS, "stewards")],
        default=ProtocolLevel.COMMUNITY,
    )
    season_start = models.CharField(max_length=5, blank=True, help_text="MM-DD")
    season_end = models.CharField(max_length=5, blank=True, help_text="MM-DD")
    name = models.CharField(max_length=200, blank=True, help_text="the community's own name for the label (from the "
                                                                  "Local Contexts Hub)")
    image = models.CharField(max_length=300, blank=True, help_text="the label's image as the community set it on the "
                                                                   "Hub, kept in the archive's storage")
    hub_project = models.ForeignKey("archive.HubProject", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="label_rules", help_text="the Hub project the wording comes from")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "label"], name="one_rule_per_label")]

    def __str__(self):
        return f"{self.community}: {self.label_id}"

    def in_season(self, today) -> bool:
        if not (self.season_start and self.season_end):
            return True
        md = today.strftime("%m-%d")
        if self.season_start <= self.season_end:
            return self.season_start <= md <= self.season_end
        return md >= self.season_start or md <= self.season_end


class AccessRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        GRANTED = "granted"
        DENIED = "denied"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests")
    message = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    until = models.DateField(null=True, blank=True, help_text="a grant ends after this day")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.requester} → {self.recording_id} [{self.status}]"


class ShareLink(models.Model):
    """A steward's link that lets one named person, or anyone holding it, hear one recording
    until a date. Only a hash of the token is kept; the link is shown once, when made."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", help_text="only this person may use it; empty: anyone holding it")
    until = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"share of {self.recording_id} until {self.until}"


class ShareLinkUse(models.Model):
    """Every use of a share link: opening it, and each time its holder starts the audio."""

    class Kind(models.TextChoices):
        OPENED = "opened"
        LISTENED = "listened"
        REFUSED = "refused"

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.kind} {self.link_id} at {self.at}"
