"""The catalogue API: communities, members, traditions, collections, recordings,
proposals, access requests, narratives, annotations, history, tokens, errors."""
import pytest
from rest_framework.test import APIClient

from archive.models import Membership, Proposal, Recording
from tests import factories as f
from tests.factories import api_client as as_user

pytestmark = pytest.mark.django_db




@pytest.fixture
def setting():
    steward, member, scholar = f.make_user("steward"), f.make_user("member"), f.make_user("scholar")
    community = f.make_community(stewards=[steward], members=[member], name="Guild")
    tradition = f.make_tradition(community)
    return steward, member, scholar, community, tradition


def recording_body(community, tradition, **extra):
    return {"title": "Song", "community": str(community.pk), "tradition": str(tradition.pk), **extra}


def test_founding_a_community_makes_the_founder_its_steward():
    founder = f.make_user()
    response = as_user(founder).post("/api/communities/", {"name": "Joik keepers"}, format="json")
    assert response.status_code == 201
    assert Membership.objects.get(user=founder).role == "steward"
    assert as_user(None).post("/api/communities/", {"name": "x"}, format="json").status_code in (401, 403)


def test_members_endpoint_is_for_stewards(setting):
    steward, member, scholar, community, _ = setting
    url = f"/api/communities/{community.pk}/members/"
    assert as_user(member).get(url).status_code == 403
    assert as_user(None).get(url).status_code in (401, 403)
    added = as_user(steward).post(url, {"username": "scholar", "role": "member"}, format="json")
    assert added.status_code == 201
    assert {m["username"] for m in added.json()} == {"steward", "member", "scholar"}
    removed = as_user(steward).delete(url, {"username": "scholar"}, format="json")
    assert {m["username"] for m in removed.json()} == {"steward", "member"}
    last = as_user(steward).post(url, {"username": "steward", "role": "member"}, format="json")
    assert last.status_code == 409  # a community keeps at least one steward


def test_a_member_creates_a_draft_but_may_not_publish(setting):
    steward, member, scholar, community, tradition = setting
    ok = as_user(member).post("/api/recordings/", recording_body(community, tradition), format="json")
    assert ok.status_code == 201 and ok.json()["status"] == "draft"
    publish = as_user(member).post("/api/recordings/", recording_body(community, tradition, status="published"),
                                   format="json")
    assert publish.status_code == 403 and "status" in publish.json()["detail"]
    outsider = as_user(scholar).post("/api/recordings/", recording_body(community, tradition), format="json")
    assert outsider.status_code == 403


def test_validation_errors_are_json_and_name_the_field(setting):
    steward, _, _, community, tradition = setting
    bad = as_user(steward).post("/api/recordings/", recording_body(
        community, tradition, date="1983-13", languages=["english"], place={"name": "X", "country": "Norway"},
        record_protocol="stewards", media_protocol="public", labels=["tk_not_a_label"]), format="json")
    assert bad.status_code == 400
    body = bad.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"date", "languages[0]", "place.country", "labels"}
    assert "date:" in body["detail"] and "ISO 639-3" in body["fields"]["languages[0]"][0]
    stricter = as_user(steward).post("/api/recordings/", recording_body(
        community, tradition, record_protocol="stewards", media_protocol="public"), format="json")
    assert stricter.status_code == 400 and stricter.json()["fields"] == {"media_protocol": [
        "media_protocol must be at least as strict as record_protocol"]}
    assert Recording.objects.count() == 0


@pytest.mark.parametrize("title", [
    "राग भैरवी में ख़याल",            # Devanagari
    "نوبة رمل الماية",                # Arabic, right to left
    "Севдалинка „Емина“",             # Cyrillic
    "Hồng hồng tuyết tuyết — Nguyễn",  # Vietnamese diacritics
])
def test_unicode_titles_round_trip_exactly(setting, title):
    steward, _, _, community, tradition = setting
    created = as_user(steward).post("/api/recordings/", recording_body(
        community, tradition, title=title, alt_titles=[title[::-1]], status="published",
        record_protocol="public", media_protocol="public"), format="json")
    assert created.status_code == 201
    fetched = as_user(None).get(f"/api/recordings/{created.json()['id']}/").json()
    assert fetched["title"] == title and fetched["alt_titles"] == [title[::-1]]


def test_full_record_shape(setting):
    steward, _, _, community, tradition = setting
    f.bind_label(community, "tk_attribution", text="Credit the Guild.")
    body = recording_body(
        community, tradition, alt_titles=["Other"], description="d", people=[{"name": "Ana", "role": "performer"},
                                                                             {"name": "Bo", "role": "recordist"}],
        instruments=["voice", "đàn đáy"], place={"name": "Hà Nội", "country": "vn", "lat": 21.0, "lon": 105.8},
        languages=["vie"], date="1970s", rights="CC BY 4.0", genre="hát nói", status="published",
        record_protocol="public", media_protocol="registered", labels=["tk_attribution"], training_consent="allowed",
        tonic_hz=146.8)
    rec = as_user(steward).post("/api/recordings/", body, format="json").json()
    assert rec["people"] == [{"name": "Ana", "role": "performer"}, {"name": "Bo", "role": "recordist"}]
    assert sorted(rec["instruments"]) == ["voice", "đàn đáy"]
    assert rec["place"] == {"name": "Hà Nội", "country": "VN", "lat": 21.0, "lon": 105.8}
    assert rec["languages"] == ["vie"] and rec["date"] == "1970s" and rec["labels"] == ["tk_attribution"]
    assert rec["attribution"] == ["Credit the Guild."]
    assert rec["training_consent"] == "allowed" and rec["tonic_hz"] == 146.8
    decade = as_user(None).get("/api/recordings/", {"year_from": 1975, "year_to": 1976}).json()
    assert [r["id"] for r in decade["results"]] == [rec["id"]]
    assert as_user(None).get("/api/recordings/", {"year_from": 1980}).json()["count"] == 0
    assert as_user(None).get("/api/recordings/", {"instrument": "đàn đáy", "language": "vie",
                                                   "country": "VN", "label": "tk_attribution"}).json()["count"] == 1


def test_training_consent_defaults_to_not_allowed(setting):
    steward, _, _, community, tradition = setting
    rec = as_user(steward).post("/api/recordings/", recording_body(community, tradition), format="json").json()
    assert rec["training_consent"] == "not_allowed"


def test_steward_changes_apply_and_are_kept_in_history(setting):
    steward, _, _, community, tradition = setting
    rec = f.make_recording(community, tradition, title="Old")
    response = as_user(steward).patch(f"/api/recordings/{rec.pk}/", {"title": "New", "languages": ["nob"]},
                                      format="json")
    assert response.status_code == 200 and response.json()["title"] == "New"
    history = as_user(steward).get(f"/api/recordings/{rec.pk}/history/").json()
    changes = [(c["field"], c["old"], c["new"], entry["user"]) for entry in history for c in entry["changes"]]
    assert ("title", "Old", "New", "steward") in changes
    assert ("languages", [], ["nob"], "steward") in changes
    public = as_user(None).get(f"/api/recordings/{rec.pk}/history/").json()  # what changed, not what it was
    changes = [(c["field"], c["old"], c["new"], entry["user"]) for entry in public for c in entry["changes"]]
    assert ("title", None, None, None) in changes and "Old" not in str(public)


def test_a_non_stewards_change_becomes_a_proposal(setting):
    steward, member, scholar, community, tradition = setting
    rec = f.make_recording(community, tradition, title="Old")
    proposed = as_user(scholar).patch(f"/api/recordings/{rec.pk}/", {"title": "Better"}, format="json")
    assert proposed.status_code == 202
    rec.refresh_from_db()
    assert rec.title == "Old"
    proposal_id = proposed.json()["id"]
    assert as_user(member).post(f"/api/proposals/{proposal_id}/approve/").status_code == 404  # not theirs to see
    pending = as_user(steward).get("/api/proposals/", {"status": "pending"}).json()
    assert [p["id"] for p in pending["results"]] == [proposal_id]
    approved = as_user(steward).post(f"/api/proposals/{proposal_id}/approve/", {"reason": "thanks"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    rec.refresh_from_db()
    assert rec.title == "Better"
    again = as_user(steward).post(f"/api/proposals/{proposal_id}/reject/")
    assert again.status_code == 409


def test_rejected_proposal_changes_nothing(setting):
    steward, member, _, community, tradition = setting
    rec = f.make_recording(community, tradition, title="Old")
    proposal = as_user(member).post("/api/proposals/", {"recording": str(rec.pk), "changes": {"title": "Nope"}},
                                    format="json").json()
    rejected = as_user(steward).post(f"/api/proposals/{proposal['id']}/reject/", {"reason": "wrong"}, format="json")
    assert rejected.json()["status"] == "rejected"
    rec.refresh_from_db()
    assert rec.title == "Old" and Proposal.objects.get().reason == "wrong"


def test_proposals_are_validated_when_made(setting):
    _, member, _, community, tradition = setting
    rec = f.make_recording(community, tradition)
    bad = as_user(member).post("/api/proposals/", {"recording": str(rec.pk), "changes": {"date": "soon"}},
                               format="json")
    assert bad.status_code == 400 and "date" in bad.json()["fields"]


def test_access_request_grant_opens_the_record_and_is_logged(setting):
    steward, _, scholar, community, tradition = setting
    rec = f.make_recording(community, tradition, record_protocol="registered", media_protocol="community")
    req = as_user(scholar).post("/api/access-requests/", {"recording": str(rec.pk), "message": "research"},
                                format="json")
    assert req.status_code == 201
    assert as_user(scholar).post("/api/access-requests/", {"recording": str(rec.pk)}, format="json").status_code == 409
    granted = as_user(steward).post(f"/api/access-requests/{req.json()['id']}/grant/", {"until": "2999-01-01"},
                                    format="json")
    assert granted.json()["status"] == "granted" and granted.json()["until"] == "2999-01-01"
    from archive.access import recordings_audible

    assert recordings_audible(user=scholar).filter(pk=rec.pk).exists()
    events = as_user(steward).get(f"/api/recordings/{rec.pk}/events/").json()
    assert events[-1]["type"] == "access decision" and "scholar" in events[-1]["detail"]


def test_access_request_for_a_hidden_recording_is_404(setting):
    _, _, scholar, community, tradition = setting
    rec = f.make_recording(community, tradition, record_protocol="community")
    response = as_user(scholar).post("/api/access-requests/", {"recording": str(rec.pk)}, format="json")
    assert response.status_code == 404


def test_narratives_of_several_communities_stand_side_by_side(setting):
    steward, member, _, community, tradition = setting
    other_member = f.make_user()
    other = f.make_community(members=[other_member])
    rec = f.make_recording(community, tradition)
    url = f"/api/recordings/{rec.pk}/narratives/"
    first = as_user(member).post(url, {"community": str(community.pk), "title": "Ours", "text": "A", "language": "eng"},
                                 format="json")
    second = as_user(other_member).post(url, {"community": str(other.pk), "title": "Theirs", "text": "B"},
                                        format="json")
    assert first.status_code == second.status_code == 201
    forged = as_user(member).post(url, {"community": str(other.pk), "title": "Not mine", "text": "C"}, format="json")
    assert forged.status_code == 403
    listed = as_user(None).get(url).json()
    assert [(n["community_name"], n["text"]) for n in listed] == sorted([("Guild", "A"), (other.name, "B")])


def test_annotations_crud_by_author_and_steward(setting):
    steward, member, scholar, community, tradition = setting
    rec = f.make_recording(community, tradition, duration_seconds=60)
    url = f"/api/recordings/{rec.pk}/annotations/"
    made = as_user(member).post(url, {"start": 1.5, "end": 4, "body": "इधर तान", "language": "hin"}, format="json")
    assert made.status_code == 201
    aid = made.json()["id"]
    assert as_user(member).post(url, {"start": 5, "end": 2, "body": "x"}, format="json").status_code == 400
    assert as_user(member).post(url, {"start": 5, "end": 61, "body": "x"}, format="json").status_code == 400
    assert as_user(scholar).patch(f"{url}{aid}/", {"body": "mine now"}, format="json").status_code == 403
    edited = as_user(member).patch(f"{url}{aid}/", {"body": "तान"}, format="json")
    assert edited.json()["body"] == "तान"
    assert as_user(steward).delete(f"{url}{aid}/").status_code == 204
    assert as_user(None).get(url).json() == []


def test_token_auth_and_revocation():
    f.make_user("tokenuser")
    client = APIClient()
    bad = client.post("/api/auth/token/", {"username": "tokenuser", "password": "wrong"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "authentication_failed"
    token = client.post("/api/auth/token/", {"username": "tokenuser", "password": f.PASSWORD}, format="json").json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    assert client.post("/api/communities/", {"name": "By token"}, format="json").status_code == 201
    assert client.delete("/api/auth/token/").status_code == 204
    assert client.post("/api/communities/", {"name": "Again"}, format="json").status_code == 401


def test_traditions_and_collections_are_curated_by_stewards(setting):
    steward, member, _, community, _ = setting
    tradition = as_user(steward).post("/api/traditions/", {
        "name": "Joik", "names": [{"language": "sme", "name": "Luohti"}], "communities": [str(community.pk)]},
        format="json")
    assert tradition.status_code == 201 and tradition.json()["names"] == [{"language": "sme", "name": "Luohti"}]
    assert as_user(member).post("/api/traditions/", {"name": "X"}, format="json").status_code == 403
    patched = as_user(steward).patch(f"/api/traditions/{tradition.json()['id']}/", {"region": "Sápmi"}, format="json")
    assert patched.json()["region"] == "Sápmi"
    # the tradition's own notation for its examples and transcriptions: a system, names of its own
    url = f"/api/traditions/{tradition.json()['id']}/"
    named = as_user(steward).patch(url, {"notation": {"system": "names", "names": [[0, "vuolle"], [700, "luohti"]]}},
                                   format="json")
    assert named.status_code == 200 and named.json()["notation"]["names"] == [[0.0, "vuolle"], [700.0, "luohti"]]
    bad = as_user(steward).patch(url, {"notation": {"system": "solfa"}}, format="json")
    assert bad.status_code == 400 and "notation" in bad.json()["fields"]
    assert as_user(member).patch(url, {"notation": {"system": "jianpu"}}, format="json").status_code == 403
    collection = as_user(steward).post("/api/collections/", {"community": str(community.pk), "title": "Field trip"},
                                       format="json")
    assert collection.status_code == 201
    assert as_user(member).post("/api/collections/", {"community": str(community.pk), "title": "Mine"},
                                format="json").status_code == 403


def test_custom_protocol_of_another_community_is_refused(setting):
    steward, _, _, community, tradition = setting
    foreign = f.make_protocol(f.make_community())
    response = as_user(steward).post("/api/recordings/", recording_body(
        community, tradition, record_protocol=str(foreign.pk), media_protocol=str(foreign.pk)), format="json")
    assert response.status_code == 400 and "record_protocol" in response.json()["fields"]


def test_schema_and_docs_are_served():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/recordings/", "/api/recordings/{id}/history/", "/api/proposals/{id}/approve/",
                 "/api/access-requests/{id}/grant/", "/api/jobs/{id}/", "/api/auth/token/"):
        assert path in paths, path
    assert APIClient().get("/api/docs/").status_code == 200
