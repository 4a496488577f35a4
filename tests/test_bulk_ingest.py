"""manage.py ingest DIR --manifest FILE.csv: good rows go in, bad rows are reported with their
line and skipped, a rerun adds nothing twice, and the operator's files stay where they were."""
import csv
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from archive.models import Recording, RecordingFile
from tests import factories as f
from tests.audio import synth

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    steward = f.make_user("keeper")
    community = f.make_community(stewards=[steward])
    community.slug = "joik-keepers"
    community.save()
    tradition = f.make_tradition(community)
    tradition.slug = "joik"
    tradition.save()
    synth.write(tmp_path / "one.wav", seconds=1.0)
    synth.write(tmp_path / "two.flac", fmt="FLAC", seconds=1.5)
    (tmp_path / "notes.txt").write_text("not audio")
    rows = [
        {"file": "one.wav", "title": "Luohti for Áilu", "tradition": "joik", "community": "joik-keepers",
         "people": "Áilu Gaup (performer); Marit (recordist)", "languages": "sme", "date": "1978",
         "place": "Guovdageaidnu", "country": "NO", "record_protocol": "public", "media_protocol": "registered",
         "labels": "tk_attribution", "training_consent": "allowed"},
        {"file": "missing.wav", "title": "Gone", "tradition": "joik", "community": "joik-keepers"},
        {"file": "notes.txt", "title": "Not audio", "tradition": "joik", "community": "joik-keepers"},
        {"file": "two.flac", "title": "", "tradition": "joik", "community": "joik-keepers"},
        {"file": "two.flac", "title": "Bad date", "tradition": "joik", "community": "joik-keepers", "date": "last summer"},
        {"file": "../outside.wav", "title": "Escape", "tradition": "joik", "community": "joik-keepers"},
        {"file": "two.flac", "title": "Reindeer herding song", "tradition": "joik", "community": "nobody"},
        {"file": "two.flac", "title": "Reindeer herding song", "tradition": "joik", "community": "joik-keepers",
         "instruments": "voice", "status": "published", "record_protocol": "public", "media_protocol": "public"},
    ]
    manifest = tmp_path / "manifest.csv"
    with open(manifest, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "title", "tradition", "community", "people", "languages",
                                                    "date", "place", "country", "record_protocol", "media_protocol",
                                                    "labels", "training_consent", "instruments", "status"])
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path, manifest


def run(folder, manifest):
    out, err = StringIO(), StringIO()
    call_command("ingest", str(folder), "--manifest", str(manifest), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_rows_go_in_and_bad_rows_are_reported(folder):
    path, manifest = folder
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in path.iterdir() if p.suffix in (".wav", ".flac")}
    out, err = run(path, manifest)
    assert "2 added, 0 already present, 6 skipped with errors" in out
    lines = err.strip().splitlines()
    assert lines[0].startswith("line 3: skipped: file: no file 'missing.wav'")
    assert lines[1].startswith("line 4: skipped: file: not a recognised audio file")
    assert lines[2].startswith("line 5: skipped: title")
    assert lines[3].startswith("line 6: skipped: date")
    assert lines[4] == "line 7: skipped: file: the file must lie inside the ingest folder"
    assert lines[5] == "line 8: skipped: no community 'nobody'"
    luohti = Recording.objects.get(title="Luohti for Áilu")
    assert [(c.person.name, c.role) for c in luohti.credits.all()] == [("Áilu Gaup", "performer"), ("Marit", "recordist")]
    assert luohti.place.country == "NO" and luohti.year_from == 1978 and luohti.training_consent == "allowed"
    assert RecordingFile.objects.get(recording=luohti, role="master").sha256 == before["one.wav"]
    # the operator's files are copied, never moved or changed
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in path.iterdir() if p.suffix in (".wav", ".flac")} == before
    assert Recording.objects.count() == 2  # nothing half-written for the bad rows


def test_rerunning_the_manifest_adds_nothing_twice(folder):
    path, manifest = folder
    run(path, manifest)
    out, _ = run(path, manifest)
    assert "0 added, 2 already present" in out
    assert Recording.objects.count() == 2 and RecordingFile.objects.filter(role="master").count() == 2
