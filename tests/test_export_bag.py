"""export_bag writes a BagIt bag that bagit.py validates; restricted recordings only for stewards."""
import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.core.management import CommandError, call_command

from archive.models import Collection, PreservationEvent
from archive.services.ingest import recording_attach_master
from tests import factories as f
from tests.audio import synth
from tests.official_schemas import assert_valid_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection(tmp_path):
    steward = f.make_user("keeper")
    community = f.make_community(stewards=[steward], name="Joik keepers")
    collection = Collection.objects.create(community=community, title="Summer 1978")
    open_rec = f.make_recording(community, collection=collection, title="Open luohti", record_protocol="public",
                                media_protocol="public", rights="CC BY 4.0", date="1978")
    closed = f.make_recording(community, collection=collection, title="Family luohti", record_protocol="community",
                              media_protocol="stewards", labels=["tk_secret_sacred"])
    originals = {}
    for rec in (open_rec, closed):
        path = synth.write(tmp_path / f"{rec.pk}.wav", seconds=1.0)
        originals[rec.pk] = path.read_bytes()
        recording_attach_master(recording=rec, path=path, original_name="take.wav", user=steward)
    open_rec.originals = originals
    return collection, steward, open_rec, closed, tmp_path


def test_a_public_bag_validates_and_holds_only_public_recordings(collection):
    coll, _, open_rec, closed, tmp = collection
    dest = tmp / "bag"
    call_command("export_bag", str(coll.pk), str(dest))
    result = subprocess.run([sys.executable, "-m", "bagit", "--validate", str(dest)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (dest / "manifest-sha256.txt").exists() and (dest / "manifest-sha512.txt").exists()
    folders = {p.name for p in (dest / "data" / "recordings").iterdir()}
    assert folders == {str(open_rec.pk)}
    record = json.loads((dest / "data" / "recordings" / str(open_rec.pk) / "record.json").read_text())
    assert record["title"] == "Open luohti" and record["record_protocol"] == "public"
    dc = ET.parse(dest / "data" / "recordings" / str(open_rec.pk) / "dc.xml").getroot()
    values = {el.tag.split("}")[1]: el.text for el in dc}
    assert values["title"] == "Open luohti" and values["rights"] == "CC BY 4.0" and values["type"] == "Sound"
    master = (dest / "data" / "recordings" / str(open_rec.pk) / "master.wav").read_bytes()
    assert master == open_rec.originals[open_rec.pk]
    events = json.loads((dest / "data" / "recordings" / str(open_rec.pk) / "events.json").read_text())
    assert [e["type"] for e in events][:3] == ["ingestion", "message digest calculation", "format identification"]
    premis = (dest / "data" / "recordings" / str(open_rec.pk) / "premis.xml").read_bytes()  # the same, as PREMIS 3
    assert_valid_xml("premis", premis)
    assert premis.count(b"<premis:event>") == len(events) and open_rec.files.get(role="master").sha256.encode() in premis
    assert PreservationEvent.objects.filter(recording=open_rec, type="export").exists()
    assert not PreservationEvent.objects.filter(recording=closed, type="export").exists()


def test_a_stewards_bag_includes_restricted_recordings_with_their_protocols(collection):
    coll, steward, _, closed, tmp = collection
    dest = tmp / "stewards-bag"
    call_command("export_bag", str(coll.pk), str(dest), "--as", steward.username)
    record = json.loads((dest / "data" / "recordings" / str(closed.pk) / "record.json").read_text())
    assert record["media_protocol"] == "stewards" and record["labels"] == ["tk_secret_sacred"]
    assert json.loads((dest / "data" / "collection.json").read_text())["restricted_included"] is True
    import bagit

    assert bagit.Bag(str(dest)).is_valid()


def test_bad_arguments_are_clear(collection, tmp_path):
    coll, *_ = collection
    with pytest.raises(CommandError, match="no collection"):
        call_command("export_bag", "not-a-uuid", str(tmp_path / "x"))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_bag", str(coll.pk), str(tmp_path / "full"))
    assert Path(tmp_path / "full" / "something").read_text() == "x"
