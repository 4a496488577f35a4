"""Small builders for test catalogues (direct ORM writes: the code under test reads them)."""
import itertools

from django.contrib.auth import get_user_model

from archive.access import forget_viewer
from archive.labels import labels_sync
from archive.models import (
    AccessRequest,
    Community,
    Label,
    LabelRule,
    Membership,
    Protocol,
    Recording,
    RecordingLabel,
    Tradition,
)

_seq = itertools.count()
PASSWORD = "a-long-test-password"


def api_client(user=None):
    """A DRF test client, signed in as ``user`` unless it is None (an outsider)."""
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def make_user(username=None, *, staff=False):
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=staff, is_superuser=staff)


def make_community(*, stewards=(), members=(), name=None):
    n = next(_seq)
    community = Community.objects.create(slug=f"community-{n}", name=name or f"Community {n}")
    for user in stewards:
        Membership.objects.create(community=community, user=user, role=Membership.Role.STEWARD)
        forget_viewer(user)
    for user in members:
        Membership.objects.create(community=community, user=user, role=Membership.Role.MEMBER)
        forget_viewer(user)
    return community


def make_tradition(*communities, name=None):
    n = next(_seq)
    tradition = Tradition.objects.create(slug=f"tradition-{n}", name=name or f"Tradition {n}")
    tradition.communities.set(communities)
    return tradition


def make_protocol(community, members=(), name=None):
    protocol = Protocol.objects.create(community=community, name=name or f"protocol {next(_seq)}")
    protocol.members.set(members)
    for user in members:
        forget_viewer(user)
    return protocol


def make_recording(community, tradition=None, *, labels=(), custom=None, **fields):
    fields.setdefault("title", f"Recording {next(_seq)}")
    fields.setdefault("status", Recording.Status.PUBLISHED)
    fields.setdefault("record_protocol", "public")
    fields.setdefault("media_protocol", fields["record_protocol"])
    if custom is not None:
        fields.setdefault("record_custom_protocol", custom if fields["record_protocol"] == "custom" else None)
        fields.setdefault("media_custom_protocol", custom if fields["media_protocol"] == "custom" else None)
    tradition = tradition or make_tradition(community)
    recording = Recording.objects.create(community=community, tradition=tradition, **fields)
    if labels:
        ensure_labels()
        for code in labels:
            RecordingLabel.objects.create(recording=recording, label_id=code)
    return recording


def ensure_labels():
    if Label.objects.count() < 20:
        labels_sync(Label)


def bind_label(community, code, **rule):
    ensure_labels()
    return LabelRule.objects.create(community=community, label_id=code, **rule)


def grant(recording, user, until=None):
    forget_viewer(user)
    return AccessRequest.objects.create(recording=recording, requester=user, status=AccessRequest.Status.GRANTED,
                                        until=until)
