"""Every endpoint that shows a recording, tried by an outsider, a registered non-member,
a member, a steward of another community, a steward and staff: each gets exactly what
the protocols allow, and a hidden recording answers 404 like one that does not exist."""
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from archive.access import recordings_audible, recordings_visible
from archive.models import Annotation, Narrative, Recording
from tests import factories as f
from tests.factories import api_client as client_for
from tests.oracle import may_correct_notes, may_hear, may_see, sees_details

pytestmark = pytest.mark.django_db

DETAIL_ENDPOINTS = ["", "history/", "events/", "events/?format=premis", "narratives/", "annotations/"]


@pytest.fixture
def world():
    steward, member, other_steward, registered, insider = (f.make_user(n) for n in
                                                           ("steward", "member", "other", "registered", "insider"))
    staff = f.make_user("staff", staff=True)
    community = f.make_community(stewards=[steward], members=[member, insider])
    f.make_community(stewards=[other_steward])
    tradition = f.make_tradition(community)
    initiated = f.make_protocol(community, members=[insider])
    today = timezone.localdate()
    off_season = (today + timedelta(days=60)).strftime("%m-%d"), (today + timedelta(days=90)).strftime("%m-%d")
    f.bind_label(community, "tk_seasonal", season_start=off_season[0], season_end=off_season[1])
    make = lambda **kw: f.make_recording(community, tradition, **kw)  # noqa: E731
    recordings = {
        "public": make(record_protocol="public"),
        "public_record_community_media": make(record_protocol="public", media_protocol="community"),
        "registered": make(record_protocol="registered"),
        "community": make(record_protocol="community"),
        "stewards": make(record_protocol="stewards"),
        "custom": make(record_protocol="custom", media_protocol="custom", custom=initiated),
        "draft": make(status="draft", created_by=member),
        "withdrawn": make(status="withdrawn"),
        "secret": make(record_protocol="public", labels=["tk_secret_sacred"]),
        "seasonal": make(record_protocol="public", labels=["tk_seasonal"]),
        "granted": make(record_protocol="stewards"),
        "expired_grant": make(record_protocol="stewards"),
    }
    f.grant(recordings["granted"], registered)
    f.grant(recordings["expired_grant"], registered, until=today - timedelta(days=1))
    for rec in recordings.values():
        Narrative.objects.create(recording=rec, community=community, title="n", text="t")
        Annotation.objects.create(recording=rec, start=0, end=1, body="b")
    users = {"anonymous": None, "registered": registered, "member": member, "insider": insider,
             "other_steward": other_steward, "steward": steward, "staff": staff}
    return users, recordings, today




def login_client(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "registered", "member", "insider", "other_steward", "steward", "staff"])
def test_every_endpoint_shows_exactly_what_the_protocols_allow(world, who):
    users, recordings, today = world
    user = users[who]
    expected = {str(r.pk) for r in recordings.values() if may_see(user, r, today)}
    api, web = client_for(user), login_client(user)

    listed = api.get("/api/recordings/", {"page_size": 200}).json()
    assert {r["id"] for r in listed["results"]} == expected
    assert listed["count"] == len(expected)

    for name, rec in recordings.items():
        for sub in DETAIL_ENDPOINTS:
            status = api.get(f"/api/recordings/{rec.pk}/{sub}").status_code
            assert status == (200 if str(rec.pk) in expected else 404), (who, name, sub, status)
        for url in (f"/recordings/{rec.pk}/", f"/iiif/recordings/{rec.pk}/manifest", f"/iiif/recordings/{rec.pk}/viewer"):
            page = web.get(url).status_code
            assert page == (200 if str(rec.pk) in expected else 404), (who, name, url)
        # the steward's pages: editing (anyone signed in who sees it: a steward's change applies, anyone
        # else's is proposed) and withdrawing (the community's stewards and staff)
        edit, withdraw = (web.get(f"/recordings/{rec.pk}/{page}/").status_code for page in ("edit", "withdraw"))
        if user is None:
            assert (edit, withdraw) == (302, 302), (who, name)
        else:
            assert edit == (200 if str(rec.pk) in expected else 404), (who, name)
            assert withdraw == (200 if sees_details(user, rec) else 404), (who, name)

    some = recordings["public"]
    tradition = api.get(f"/api/traditions/{some.tradition_id}/").json()
    assert tradition["n_recordings"] == len(expected)
    community = api.get(f"/api/communities/{some.community_id}/").json()
    assert community["n_recordings"] == len(expected)
    # reference data, the same for everyone: ISO 639-3 languages by name
    languages = api.get("/api/languages/", {"q": "northern sami"}).json()["results"]
    assert languages[0] == {"code": "sme", "name": "Northern Sami"}
    in_spanish = api.get("/api/languages/", {"q": "árabe"}, HTTP_ACCEPT_LANGUAGE="es").json()["results"]
    assert "ara" in [lang["code"] for lang in in_spanish]


@pytest.mark.parametrize("who", ["anonymous", "registered", "member", "insider", "other_steward", "steward", "staff"])
def test_media_access_follows_the_media_protocol(world, who):
    users, recordings, today = world
    user = users[who]
    audible = set(recordings_audible(user=user).values_list("pk", flat=True))
    api = client_for(user)
    for name, rec in recordings.items():
        assert (rec.pk in audible) == may_hear(user, rec, today), (who, name)
        # The file endpoints: hidden → 404; visible but not audible → 403; audible (no file yet) → 404.
        expected = 404 if not may_see(user, rec, today) else (404 if may_hear(user, rec, today) else 403)
        for sub in ("audio/", "peaks/", "analysis/", "pitch/", "notes/", "notes/midi/", "notes/musicxml/",
                    "transcriptions/", "transcriptions/0/", "transcriptions/1/"):
            assert api.get(f"/api/recordings/{rec.pk}/{sub}").status_code == expected, (who, name, sub)
        insider = who in ("member", "insider", "steward", "staff")  # the master is for the community's members
        if not may_see(user, rec, today):
            master = 404
        elif not may_hear(user, rec, today):
            master = 403
        else:
            master = 404 if insider else 403  # 404: allowed, but no file has been uploaded
        assert api.get(f"/api/recordings/{rec.pk}/audio/?original=1").status_code == master, (who, name, "original")
        # a corrected transcription: refused as hidden or inaudible; allowed ones reach the check
        # that the recording has an analysis to read the notes in (400 here: none was made)
        if user is None:
            correct = 401  # asked to sign in first, hidden or not: it tells nothing
        elif not may_see(user, rec, today):
            correct = 404
        elif not may_hear(user, rec, today):
            correct = 403
        else:
            correct = 400 if may_correct_notes(user, rec, today) else 403
        answer = api.post(f"/api/recordings/{rec.pk}/transcriptions/", {"notes": [], "based_on": 0}, format="json")
        assert answer.status_code == correct, (who, name, "correct notes", answer.content)


def test_hidden_and_missing_recordings_answer_alike(world):
    users, recordings, _ = world
    api = client_for(users["registered"])
    hidden = api.get(f"/api/recordings/{recordings['community'].pk}/")
    missing = api.get(f"/api/recordings/{uuid.uuid4()}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_withdrawal_leaves_only_stewards(world):
    users, recordings, _ = world
    rec = recordings["public"]
    steward = users["steward"]
    response = client_for(steward).delete(f"/api/recordings/{rec.pk}/")
    assert response.status_code == 200
    rec.refresh_from_db()
    assert rec.status == Recording.Status.WITHDRAWN
    for who in ("anonymous", "registered", "member", "other_steward"):
        assert not recordings_visible(user=users[who]).filter(pk=rec.pk).exists(), who
    assert recordings_visible(user=steward).filter(pk=rec.pk).exists()
    events = client_for(steward).get(f"/api/recordings/{rec.pk}/events/").json()
    assert [e["type"] for e in events] == ["withdrawal"]


def test_a_member_cannot_withdraw(world):
    users, recordings, _ = world
    response = client_for(users["member"]).delete(f"/api/recordings/{recordings['community'].pk}/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_annotation_protocols_hide_annotations_within_a_visible_recording(world):
    users, recordings, _ = world
    rec = recordings["public"]
    Annotation.objects.create(recording=rec, start=1, end=2, body="members only", protocol="community")
    anon = client_for(None).get(f"/api/recordings/{rec.pk}/annotations/").json()
    member = client_for(users["member"]).get(f"/api/recordings/{rec.pk}/annotations/").json()
    assert "members only" not in [a["body"] for a in anon]
    assert "members only" in [a["body"] for a in member]


def test_seasonal_label_opens_in_season(world):
    users, recordings, today = world
    rec = recordings["seasonal"]
    assert not recordings_visible(user=None).filter(pk=rec.pk).exists()
    in_season = today + timedelta(days=70)
    assert recordings_visible(user=None, today=in_season).filter(pk=rec.pk).exists()
    assert recordings_visible(user=users["member"]).filter(pk=rec.pk).exists()


def test_grant_until_a_date_expires(world):
    users, recordings, today = world
    rec = recordings["granted"]
    req = rec.access_requests.get()
    req.until = today + timedelta(days=3)
    req.save()
    user = users["registered"]
    assert recordings_visible(user=user, today=today).filter(pk=rec.pk).exists()
    assert not recordings_visible(user=user, today=today + timedelta(days=4)).filter(pk=rec.pk).exists()


def test_secret_sacred_is_never_public_even_with_a_grant(world):
    users, recordings, _ = world
    rec = recordings["secret"]
    f.grant(rec, users["registered"])
    assert not recordings_visible(user=users["registered"]).filter(pk=rec.pk).exists()
    assert not recordings_visible(user=None).filter(pk=rec.pk).exists()
    assert recordings_visible(user=users["member"]).filter(pk=rec.pk).exists()


def test_secret_sacred_rule_can_narrow_to_stewards(world):
    users, recordings, _ = world
    rec = recordings["secret"]
    f.bind_label(rec.community, "tk_secret_sacred", protocol_level="stewards")
    assert not recordings_visible(user=users["member"]).filter(pk=rec.pk).exists()
    assert recordings_visible(user=users["steward"]).filter(pk=rec.pk).exists()

