"""A recording's history as PREMIS 3 XML (/api/recordings/{id}/events/?format=premis), read by an
outsider's parser and held to the Library of Congress's schema: the recording and each stored file
with its SHA-256, every event the reader may see, the agents and the rights; details, agents and
storage locations only for those who see everything of the recording (oracle.sees_details)."""
import pytest
from django.utils import timezone
from lxml import etree

from archive.models import FileCopy, Recording
from archive.services.derivatives import recording_derive
from archive.services.fixity import file_check_fixity
from archive.services.ingest import recording_attach_master
from archive.services.recordings import recording_withdraw
from archive.services.replicas import file_replicate
from tests import factories as f
from tests.audio import synth
from tests.factories import api_client
from tests.official_schemas import assert_valid_xml
from tests.oracle import may_see, sees_details

pytestmark = pytest.mark.django_db
P = {"premis": "http://www.loc.gov/premis/v3", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


@pytest.fixture
def song(tmp_path, replicas):
    steward, outsider = f.make_user("valley-steward"), f.make_user("outsider")
    community = f.make_community(stewards=[steward], name="Valley singers")
    f.bind_label(community, "tk_attribution", text="Credit the valley singers.")
    rec = f.make_recording(community, title="Evening song", record_protocol="public", media_protocol="registered",
                           rights="CC BY-NC 4.0", labels=["tk_attribution"])
    recording_attach_master(recording=rec, path=synth.write(tmp_path / "a.wav", seconds=2.0), original_name="take 3.wav",
                            user=steward)
    recording_derive(recording=rec)
    return {"steward": steward, "outsider": outsider, "recording": rec}


def premis_of(user, rec):
    response = api_client(user).get(f"/api/recordings/{rec.pk}/events/?format=premis")
    return response


def test_a_stewards_premis_is_valid_and_holds_files_events_agents_and_rights(song):
    rec, steward = song["recording"], song["steward"]
    for stored in rec.files.all():
        file_replicate(file=stored)
    master = rec.files.get(role="master")
    file_check_fixity(file=master)
    response = premis_of(steward, rec)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert_valid_xml("premis", response.content)
    root = etree.fromstring(response.content)
    objects = root.findall("premis:object", P)
    kinds = [o.get(f"{{{P['xsi']}}}type") for o in objects]
    assert kinds.count("premis:intellectualEntity") == 1 and kinds.count("premis:file") == rec.files.count() >= 2
    digests = {d.text for d in root.iterfind(".//premis:messageDigest", P)}
    assert digests == set(rec.files.values_list("sha256", flat=True))
    events = api_client(steward).get(f"/api/recordings/{rec.pk}/events/").json()
    types = [e.text for e in root.iterfind("premis:event/premis:eventType", P)]
    assert types == [e["type"] for e in events] and "fixity check" in types and "replication" in types
    locations = [v.text for v in root.iterfind(".//premis:contentLocationValue", P)]
    assert master.storage_name in locations and f"disk-b:{master.storage_name}" in locations
    assert FileCopy.objects.filter(file=master, location="disk-b", ok=True).exists()
    derived = [o for o in objects if o.find("premis:relationship/premis:relationshipSubType", P) is not None
               and any(r.text == "has source" for r in o.iterfind("premis:relationship/premis:relationshipSubType", P))]
    assert derived and all(o.find(".//premis:relatedObjectIdentifierValue", P) is not None for o in derived)
    agents = {a.text for a in root.iterfind("premis:agent/premis:agentName", P)}
    assert {"Songkeeper", steward.username} <= agents
    notes = [n.text for n in root.iterfind(".//premis:otherRightsNote", P)]
    assert any("record: public; audio: registered" in n for n in notes)
    assert root.find(".//premis:licenseTerms", P).text == "CC BY-NC 4.0"
    assert root.find(".//premis:originalName", P).text == "take 3.wav"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "steward"])
def test_what_a_reader_learns_from_premis_is_what_the_policy_allows(song, who):
    rec, steward = song["recording"], song["steward"]
    user = {"anonymous": None, "outsider": song["outsider"], "steward": steward}[who]
    recording_withdraw(recording=rec, user=steward, reason="the family asked")
    Recording.objects.filter(pk=rec.pk).update(status=Recording.Status.PUBLISHED)
    rec.refresh_from_db()
    response = premis_of(user, rec)
    assert response.status_code == (200 if may_see(user, rec, timezone.localdate()) else 404)
    assert_valid_xml("premis", response.content)
    text = response.content.decode()
    full = sees_details(user, rec)
    assert ("the family asked" in text) == (steward.username in text) == full
    assert (rec.files.get(role="master").storage_name in text) == full  # where copies are kept: stewards only
    assert ("take 3.wav" in text) == full
    assert "<premis:eventType>withdrawal</premis:eventType>" in text


def test_a_hidden_recording_answers_404_in_json_whatever_the_format(song):
    rec = song["recording"]
    Recording.objects.filter(pk=rec.pk).update(record_protocol="stewards")
    response = premis_of(song["outsider"], rec)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert "detail" in response.json()
