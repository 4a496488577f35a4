"""Outsider tests for the endpoints that are not a recording's own: proposals, access
requests, protocols, members, annotations by id, traditions/collections counts."""
import uuid

import pytest

from archive.models import AccessRequest, Annotation, Proposal
from tests import factories as f
from tests.factories import api_client as as_user

pytestmark = pytest.mark.django_db




@pytest.fixture
def world():
    steward, member, outsider, other_steward = (f.make_user(n) for n in ("steward", "member", "outsider", "other"))
    community = f.make_community(stewards=[steward], members=[member])
    f.make_community(stewards=[other_steward])
    hidden = f.make_recording(community, record_protocol="community", title="Hidden song")
    shown = f.make_recording(community, record_protocol="public", title="Open song")
    Proposal.objects.create(recording=hidden, proposer=member, changes={"title": "secret title"})
    AccessRequest.objects.create(recording=shown, requester=member, message="please")
    annotation = Annotation.objects.create(recording=hidden, start=0, end=1, body="inside")
    protocol = f.make_protocol(community, members=[member], name="Initiated")
    return {"steward": steward, "member": member, "outsider": outsider, "other": other_steward,
            "community": community, "hidden": hidden, "shown": shown, "annotation": annotation, "protocol": protocol}


@pytest.mark.parametrize("who", [None, "outsider", "other"])
def test_outsiders_see_no_proposals_or_requests_of_others(world, who):
    client = as_user(world[who] if who else None)
    for url in ("/api/proposals/", "/api/access-requests/"):
        response = client.get(url)
        if who is None:
            assert response.status_code == 401
        else:
            assert response.status_code == 200 and response.json()["count"] == 0, url
    proposal = Proposal.objects.get()
    assert client.get(f"/api/proposals/{proposal.pk}/").status_code in (401, 404)
    assert "secret title" not in client.get("/api/proposals/").content.decode()


def test_stewards_and_proposers_see_their_proposals(world):
    assert as_user(world["steward"]).get("/api/proposals/").json()["count"] == 1
    assert as_user(world["member"]).get("/api/proposals/").json()["count"] == 1
    assert as_user(world["steward"]).get("/api/access-requests/").json()["count"] == 1
    assert as_user(world["other"]).post(f"/api/access-requests/{AccessRequest.objects.get().pk}/grant/").status_code == 404


@pytest.mark.parametrize("who", [None, "outsider", "other"])
def test_annotation_of_a_hidden_recording_is_404(world, who):
    client = as_user(world[who] if who else None)
    url = f"/api/recordings/{world['hidden'].pk}/annotations/{world['annotation'].pk}/"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"body": "x"}, format="json").status_code in (401, 404)
    assert client.get(f"/api/recordings/{world['hidden'].pk}/annotations/{uuid.uuid4()}/").status_code == 404


def test_protocol_members_are_listed_to_stewards_only(world):
    url = f"/api/communities/{world['community'].pk}/protocols/"
    public = as_user(world["outsider"]).get(url).json()
    assert [(p["name"], p["members"]) for p in public] == [("Initiated", [])]
    assert as_user(world["steward"]).get(url).json()[0]["members"] == ["member"]
    made = as_user(world["outsider"]).post(url, {"name": "Mine"}, format="json")
    assert made.status_code == 403


def test_counts_on_communities_traditions_collections_leak_nothing(world):
    from archive.models import Collection

    collection = Collection.objects.create(community=world["community"], title="Box")
    world["hidden"].collection = collection
    world["hidden"].save()
    client = as_user(world["outsider"])
    assert client.get(f"/api/communities/{world['community'].pk}/").json()["n_recordings"] == 1
    assert client.get(f"/api/traditions/{world['shown'].tradition_id}/").json()["n_recordings"] == 1
    assert client.get(f"/api/collections/{collection.pk}/").json()["n_recordings"] == 0
    assert as_user(world["member"]).get(f"/api/collections/{collection.pk}/").json()["n_recordings"] == 1


def test_staff_can_use_the_admin(world, client):
    staff = f.make_user("boss", staff=True)
    client.force_login(staff)
    for model in ("recording", "community", "tradition", "collection", "person", "instrument", "language", "place",
                  "protocol", "label", "labelrule", "narrative", "annotation", "proposal", "accessrequest",
                  "preservationevent", "membership"):
        assert client.get(f"/admin/archive/{model}/").status_code == 200, model
        assert client.get(f"/admin/archive/{model}/add/").status_code == 200, model
    assert client.get(f"/admin/archive/recording/{world['hidden'].pk}/change/").status_code == 200
    assert client.get(f"/admin/archive/recording/{world['hidden'].pk}/history/").status_code == 200
    assert client.get("/admin/worker/job/").status_code == 200
    client.force_login(world["steward"])
    assert client.get("/admin/archive/recording/").status_code == 302  # not staff: sent to the admin login


@pytest.mark.parametrize("who", [None, "outsider", "member", "other"])
def test_outsiders_never_reach_a_harvest_source_or_its_candidates(world, who):
    """Every harvest endpoint, tried by everyone but the community's stewards: nothing is listed,
    everything else answers 404 (401 signed out), and nothing changes."""
    from archive.models import HarvestCandidate, HarvestSource

    source = HarvestSource.objects.create(community=world["community"], name="Elsewhere", kind="iiif",
                                          manifest_urls=["https://example.org/m"])
    candidate = HarvestCandidate.objects.create(source=source, identifier="https://example.org/m",
                                                fields={"title": "A song kept far away"}, raw="{}", raw_format="iiif",
                                                checksum="0")
    client = as_user(world[who] if who else None)
    refused = 401 if who is None else 404
    for url in ("/api/harvest-sources/", "/api/candidates/"):
        response = client.get(url)
        assert response.status_code == 401 if who is None else response.json()["count"] == 0, url
    for url in (f"/api/harvest-sources/{source.pk}/", f"/api/candidates/{candidate.pk}/"):
        assert client.get(url).status_code == refused, url
    for url, body in ((f"/api/harvest-sources/{source.pk}/harvest/", {}),
                      (f"/api/candidates/{candidate.pk}/accept/", {"tradition": str(world["hidden"].tradition_id)}),
                      (f"/api/candidates/{candidate.pk}/merge/", {"recording": str(world["hidden"].pk)}),
                      (f"/api/candidates/{candidate.pk}/reject/", {}),
                      (f"/api/candidates/{candidate.pk}/fetch-media/", {"rights_confirmed": True}),
                      (f"/api/candidates/{candidate.pk}/acknowledge/", {})):
        assert client.post(url, body, format="json").status_code == refused, url
    created = client.post("/api/harvest-sources/", {"community": str(world["community"].pk), "name": "Mine",
                                                    "kind": "iiif", "manifest_urls": ["https://example.org/x"]},
                          format="json")
    assert created.status_code in (401, 403)
    candidate.refresh_from_db()
    assert candidate.state == "proposed" and HarvestSource.objects.count() == 1 and source.job_id is None
    assert "A song kept far away" not in client.get("/api/candidates/").content.decode()


@pytest.mark.parametrize("who", [None, "member", "outsider", "other"])
def test_only_a_custodial_steward_changes_a_traditions_notation_from_its_page(world, who, client):
    """The tradition page's notation form, posted by everyone but its stewards: signed out, sent to
    sign in; anyone else told they may not; the notation stays as it was."""
    tradition = world["hidden"].tradition
    tradition.notation = {"system": "jianpu", "names": []}
    tradition.save(update_fields=["notation"])
    if who:
        client.force_login(world[who])
    response = client.post(f"/traditions/{tradition.slug}/notation/", {"system": "aeu", "names": ""}, follow=True)
    page = response.content.decode()
    tradition.refresh_from_db()
    assert tradition.notation == {"system": "jianpu", "names": []}
    if who is None:
        assert response.redirect_chain[0][0].startswith("/login/?next=")
    else:
        assert "only stewards of a custodial community may change a tradition" in page
        assert 'id="notation"' not in page  # nor is the form shown to them
