"""IIIF manifests, Dublin Core and CSV exports, and the citation block: what the caller may see, no more."""
import csv
import io
import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from iiif_prezi3 import Manifest
from rest_framework.test import APIClient

from archive.models import Annotation, Collection, Recording
from archive.services.derivatives import recording_derive
from archive.services.ingest import recording_attach_master
from tests import factories as f
from tests.audio import synth

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(tmp_path):
    steward, member, registered = f.make_user("steward"), f.make_user("member"), f.make_user("registered")
    community = f.make_community(stewards=[steward], members=[member], name="Guild")
    f.bind_label(community, "tk_attribution", text="Credit the Guild of singers.")
    collection = Collection.objects.create(community=community, title="Tapes")
    song = f.make_recording(community, collection=collection, title="Evening song", record_protocol="public",
                            media_protocol="registered", rights="CC BY-NC 4.0", labels=["tk_attribution"], date="1983")
    hidden = f.make_recording(community, collection=collection, title="Members' song", record_protocol="community")
    recording_attach_master(recording=song, path=synth.write(tmp_path / "a.wav", seconds=3.0), original_name="a.wav",
                            user=steward)
    recording_derive(recording=song)
    song.refresh_from_db()
    Annotation.objects.create(recording=song, start=0.5, end=1.25, body="the refrain", language="eng")
    Annotation.objects.create(recording=song, start=2, end=2.5, body="inner note", protocol="community")
    Annotation.objects.create(recording=song, start=1.0, end=2.0, body="Ako ay may lobo", layer="lyrics", language="tgl")
    return {"steward": steward, "member": member, "registered": registered, "song": song, "hidden": hidden,
            "collection": collection}


def manifest_for(client, recording):
    response = client.get(f"/iiif/recordings/{recording.pk}/manifest")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    Manifest(**data)  # loads back with iiif-prezi3: a valid Presentation 3 manifest
    return data


def test_manifest_for_a_listener(setting):
    client = Client()
    client.force_login(setting["registered"])
    data = manifest_for(client, setting["song"])
    canvas = data["items"][0]
    assert canvas["duration"] == pytest.approx(3.0, abs=0.01)
    painting = canvas["items"][0]["items"][0]
    assert painting["motivation"] == "painting" and painting["body"]["type"] == "Sound"
    assert painting["body"]["id"].endswith(f"/api/recordings/{setting['song'].pk}/audio/")
    notes = canvas["annotations"][0]["items"]
    assert [(n["motivation"], n["target"].split("#")[1], n["body"]["value"]) for n in notes] == [
        ("supplementing", "t=0.5,1.25", "the refrain")]  # the community-only annotation is not there
    lyrics = canvas["annotations"][1]
    assert lyrics["label"] == {"none": ["lyrics"]}
    line, captions = lyrics["items"]
    assert (line["motivation"], line["body"]["value"], line["body"]["language"]) == ("transcribing", "Ako ay may lobo", "tgl")
    assert captions["body"]["format"] == "text/vtt" and captions["motivation"] == "supplementing"
    vtt = client.get(captions["body"]["id"].split("testserver", 1)[-1])
    assert vtt.status_code == 200 and "Ako ay may lobo" in vtt.content.decode()
    assert data["requiredStatement"]["value"] == {"none": ["Credit the Guild of singers."]}
    assert data["rights"] == "http://creativecommons.org/licenses/by-nc/4.0/"


def test_manifest_without_media_access_has_no_audio(setting):
    data = manifest_for(Client(), setting["song"])
    assert data["items"][0].get("items", []) == []


def test_hidden_recordings_have_no_manifest_and_collections_list_only_the_visible(setting):
    assert Client().get(f"/iiif/recordings/{setting['hidden'].pk}/manifest").status_code == 404
    items = json.loads(Client().get(f"/iiif/collections/{setting['collection'].pk}").content)["items"]
    assert [i["label"]["none"][0] for i in items] == ["Evening song"]
    member = Client()
    member.force_login(setting["member"])
    items = json.loads(member.get(f"/iiif/collections/{setting['collection'].pk}").content)["items"]
    assert sorted(i["label"]["none"][0] for i in items) == ["Evening song", "Members' song"]


def test_dublin_core_at_a_stable_url(setting):
    root = ET.fromstring(Client().get(f"/recordings/{setting['song'].pk}/dc.xml").content)
    values = [(el.tag.split("}")[1], el.text) for el in root]
    assert ("title", "Evening song") in values and ("rights", "CC BY-NC 4.0") in values and ("date", "1983") in values
    assert Client().get(f"/recordings/{setting['hidden'].pk}/dc.xml").status_code == 404


def test_csv_export_of_a_search_result_uses_the_manifest_columns(setting):
    from archive.exports.manifest import COLUMNS

    text = APIClient().get("/api/recordings/export/", {"q": "evening"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == COLUMNS and [r["title"] for r in rows] == ["Evening song"]
    assert rows[0]["file"] == f"{setting['song'].pk}.wav" and rows[0]["labels"] == "tk_attribution"


def test_csv_round_trip_into_an_empty_archive_reproduces_the_metadata(setting, tmp_path):
    from django.core.management import call_command

    steward = APIClient()
    steward.force_authenticate(setting["steward"])
    song = setting["song"]
    assert steward.patch(f"/api/recordings/{song.pk}/", {
        "people": [{"name": "Ana Lima", "role": "performer"}, {"name": "Bo", "role": "recordist"}],
        "instruments": ["voice", "frame drum"], "languages": ["por"], "genre": "work song",
        "place": {"name": "Salvador", "country": "BR"}, "alt_titles": ["Canto da tarde"], "status": "published",
        "training_consent": "allowed", "description": "Sung at dusk."}, format="json").status_code == 200
    exported = steward.get("/api/recordings/export/").content.decode()
    before = [dict(r) for r in csv.DictReader(io.StringIO(exported))]
    folder = tmp_path / "incoming"
    folder.mkdir()
    for row in before:
        if row["file"]:
            synth.write(folder / row["file"], seconds=1.0, freq=300.0)
    (folder / "manifest.csv").write_text(exported, encoding="utf-8")
    Recording.objects.all().delete()  # the empty archive: same communities and traditions, no recordings
    call_command("ingest", str(folder), "--manifest", str(folder / "manifest.csv"), "--no-progress",
                 stdout=io.StringIO(), stderr=io.StringIO())
    after = [dict(r) for r in csv.DictReader(io.StringIO(steward.get("/api/recordings/export/").content.decode()))]
    strip = lambda rows: sorted(({k: v for k, v in r.items() if k != "file"} for r in rows), key=lambda r: r["title"])  # noqa: E731
    ingested = [r for r in before if r["file"]]
    assert strip(after) == strip(ingested)


def test_the_recording_page_offers_a_citation(setting):
    page = Client().get(f"/recordings/{setting['song'].pk}/").content.decode()
    assert "Evening song [Audio recording]. Guild. Songkeeper." in page
    assert "@misc{songkeeper-" in page and "title = {Evening song}" in page
