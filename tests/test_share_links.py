"""Time-limited share links: a steward lets one named person, or whoever holds the link, hear
one community-only recording until a date; revoking or passing the date ends it at once;
every use is logged; only stewards make them."""
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from archive.models import ShareLink, ShareLinkUse
from archive.services.derivatives import recording_derive
from archive.services.ingest import recording_attach_master
from tests import factories as f
from tests.audio import synth
from tests.factories import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(tmp_path):
    steward, member, guest, stranger = (f.make_user(n) for n in ("steward", "member", "guest", "stranger"))
    community = f.make_community(stewards=[steward], members=[member], name="Lake singers")
    song = f.make_recording(community, record_protocol="community", title="Grandmother's lullaby")
    recording_attach_master(recording=song, path=synth.write(tmp_path / "a.wav", seconds=2.0), original_name="a.wav",
                            user=steward)
    recording_derive(recording=song)
    return {"steward": steward, "member": member, "guest": guest, "stranger": stranger, "song": song}


def make_link(place, **fields):
    body = {"recording": str(place["song"].pk), "until": str(timezone.localdate() + timedelta(days=7)), **fields}
    response = api_client(place["steward"]).post("/api/share-links/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def hears(client, song) -> bool:
    return client.get(f"/api/recordings/{song.pk}/audio/").status_code == 200


def test_anyone_holding_the_link_hears_the_recording_until_it_is_revoked(place):
    song = place["song"]
    link = make_link(place, note="for the school concert")
    holder, other = Client(), Client()
    assert not hears(holder, song) and holder.get(f"/recordings/{song.pk}/").status_code == 404
    response = holder.get(link["url"].split("testserver", 1)[1], follow=True)
    assert response.status_code == 200 and "Grandmother" in response.content.decode()
    assert hears(holder, song)
    assert not hears(other, song)  # the link is in the holder's session, not open to all
    assert song.title in holder.get("/api/recordings/").content.decode()
    uses = ShareLink.objects.get().uses.values_list("kind", flat=True)
    assert sorted(uses) == ["listened", "opened"]

    revoked = api_client(place["steward"]).post(f"/api/share-links/{link['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert not hears(holder, song)  # at once, in the session that opened it
    again = Client().get(link["url"].split("testserver", 1)[1])
    assert again.status_code == 410 and "revoked" in again.content.decode()
    assert ShareLinkUse.objects.filter(kind="refused", detail="revoked").count() == 1


def test_a_named_link_works_only_for_that_person_and_ends_on_its_date(place):
    song = place["song"]
    link = make_link(place, person="guest")
    path = link["url"].split("testserver", 1)[1]
    assert Client().get(path).status_code == 403  # not signed in
    stranger = Client()
    stranger.force_login(place["stranger"])
    assert stranger.get(path).status_code == 403 and not hears(stranger, song)
    guest = Client()
    guest.force_login(place["guest"])
    assert guest.get(path).status_code == 302 and hears(guest, song)
    ShareLink.objects.update(until=timezone.localdate() - timedelta(days=1))  # the date passes
    assert not hears(guest, song)
    assert guest.get(path).status_code == 410


def test_only_stewards_make_links_and_see_them(place):
    song = place["song"]
    body = {"recording": str(song.pk), "until": str(timezone.localdate() + timedelta(days=1))}
    assert api_client(place["member"]).post("/api/share-links/", body, format="json").status_code == 403
    assert api_client(place["stranger"]).post("/api/share-links/", body, format="json").status_code == 404
    assert api_client().post("/api/share-links/", body, format="json").status_code in (401, 403)
    past = {**body, "until": str(timezone.localdate() - timedelta(days=1))}
    assert api_client(place["steward"]).post("/api/share-links/", past, format="json").status_code == 400
    assert api_client(place["steward"]).post("/api/share-links/", {**body, "person": "nobody"}, format="json").status_code == 400
    link = make_link(place)
    assert api_client(place["stranger"]).get("/api/share-links/").json()["count"] == 0
    assert api_client(place["stranger"]).get(f"/api/share-links/{link['id']}/").status_code == 404
    assert api_client(place["member"]).post(f"/api/share-links/{link['id']}/revoke/").status_code == 404
    assert api_client(place["steward"]).get("/api/share-links/").json()["count"] == 1
    assert "url" not in api_client(place["steward"]).get(f"/api/share-links/{link['id']}/").json()  # shown once
    assert Client().get("/share/not-a-real-token/").status_code == 410


def test_a_link_does_not_open_secret_sacred_material(place):
    song = place["song"]
    f.ensure_labels()
    from archive.models import RecordingLabel

    RecordingLabel.objects.create(recording=song, label_id="tk_secret_sacred")
    link = make_link(place)
    holder = Client()
    holder.get(link["url"].split("testserver", 1)[1])
    assert not hears(holder, song)  # the label keeps it inside the community, links notwithstanding


def test_stewards_make_and_revoke_links_on_the_recording_page(place):
    import re

    song = place["song"]
    steward = Client()
    steward.force_login(place["steward"])
    until = timezone.localdate() + timedelta(days=3)
    page = steward.post(f"/recordings/{song.pk}/share/", {"until": str(until), "note": "for Ana"}, follow=True)
    text = page.content.decode()
    url = re.search(r"http://testserver(/share/[\w-]+/)", text)[1]
    assert url not in steward.get(f"/recordings/{song.pk}/").content.decode()  # shown only once
    holder = Client()
    assert holder.get(url).status_code == 302 and hears(holder, song)
    assert "used 2 time(s)" in steward.get(f"/recordings/{song.pk}/").content.decode()  # opened, listened
    link = ShareLink.objects.get()
    member = Client()
    member.force_login(place["member"])
    assert member.post(f"/share-links/{link.pk}/revoke/").status_code == 404  # members do not revoke
    assert "Share links" not in member.get(f"/recordings/{song.pk}/").content.decode()
    steward.post(f"/share-links/{link.pk}/revoke/")
    assert not hears(holder, song)
    bad = steward.post(f"/recordings/{song.pk}/share/", {"until": "yesterday"}, follow=True)
    assert "last day" in bad.content.decode() and ShareLink.objects.count() == 1
