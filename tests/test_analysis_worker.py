"""Every uploaded recording is analysed by a real worker; the figures appear in the API;
a hand-set tonic survives re-analysis; reanalyze --outdated queues exactly the stale ones."""
from io import StringIO

import pytest
from django.core.management import call_command

from archive.analysis import ANALYSER, VERSION
from archive.analysis.evaluation import cents_between
from archive.models import Analysis
from tests import factories as f
from tests.audio.melody import write_melody
from tests.factories import api_client as api
from tests.official_schemas import assert_valid_xml
from tests.test_ingest_api import upload
from tests.test_jobs_worker import wait_for
from worker.models import Job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def analysed(celery_worker, tmp_path):
    member, listener = f.make_user("member"), f.make_user("listener")
    community = f.make_community(members=[member], stewards=[f.make_user("steward")])
    recording = f.make_recording(community, record_protocol="public", media_protocol="registered")
    truth = write_melody(tmp_path / "song.wav", 4, seconds=10.0, tonic_hz=196.0)
    response = upload(member, recording, tmp_path / "song.wav")
    assert response.status_code == 201, response.json()
    job = wait_for(response.json()["analysis_job"], timeout=120)
    assert job.state == "succeeded", job.error
    return {"member": member, "listener": listener, "recording": recording, "truth": truth, "job": job}




def test_the_analysis_appears_in_the_api(analysed):
    rec, truth = analysed["recording"], analysed["truth"]
    body = api(analysed["listener"]).get(f"/api/recordings/{rec.pk}/analysis/").json()
    assert body["version"] == VERSION and body["versions"]["essentia"]
    assert abs(cents_between(body["tonic"]["hz"], truth.tonic_hz)) <= 25
    assert body["tonic"]["method"] in ("final note", "most prominent pitch class")
    assert body["pitch_set"][0]["cents"] == 0.0 and len(body["features"]) == 80
    pitch = api(analysed["listener"]).get(f"/api/recordings/{rec.pk}/pitch/?max_points=200").json()
    assert len(pitch["hz"]) <= 200 and len(pitch["times"]) == len(pitch["hz"])
    notes = api(analysed["listener"]).get(f"/api/recordings/{rec.pk}/notes/").json()
    assert len(notes) >= 10 and {"onset", "duration", "hz", "cents", "degree"} <= set(notes[0])
    record = api(analysed["listener"]).get(f"/api/recordings/{rec.pk}/").json()
    assert record["tonic_hz"] == pytest.approx(body["tonic"]["hz"]) and record["analysis"]["version"] == VERSION
    assert record["duration_seconds"] == pytest.approx(10.0, abs=0.05)
    assert api(None).get(f"/api/recordings/{rec.pk}/").json()["analysis"] is None  # media is for registered users
    assert api(None).get(f"/api/recordings/{rec.pk}/analysis/").status_code == 403
    progress = Job.objects.get(pk=analysed["job"].pk)
    assert progress.progress == 1.0 and progress.result["version"] == VERSION


def test_a_hand_set_tonic_wins_and_survives_reanalysis(analysed):
    rec = analysed["recording"]
    steward = rec.community.memberships.get(role="steward").user
    assert api(steward).patch(f"/api/recordings/{rec.pk}/", {"tonic_hz": 200.0}, format="json").status_code == 200
    out = StringIO()
    call_command("reanalyze", stdout=out)
    assert "queued analysis for 1 recording(s)" in out.getvalue()
    job = Job.objects.filter(kind="recording.analyse").order_by("-created").first()
    assert wait_for(job.pk, timeout=120).state == "succeeded"
    analysis = Analysis.objects.get(recording=rec, version=VERSION)
    assert (analysis.tonic_hz, analysis.tonic_method) == (200.0, "set by hand")
    rec.refresh_from_db()
    assert (rec.tonic_hz, rec.tonic_source) == (200.0, "hand")


def test_reanalyze_outdated_queues_exactly_the_stale(analysed, tmp_path):
    fresh = analysed["recording"]
    stale = f.make_recording(fresh.community, title="old analysis")
    from archive.services.ingest import recording_attach_master

    write_melody(tmp_path / "b.wav", 5, seconds=3.0)
    steward = fresh.community.memberships.get(role="steward").user
    _row, job = recording_attach_master(recording=stale, path=tmp_path / "b.wav", original_name="b.wav", user=steward)
    wait_for(job.analysis_job.pk, timeout=120)
    Analysis.objects.filter(recording=stale).delete()  # as if it had been analysed by an older analyser
    Analysis.objects.create(recording=stale, analyser=ANALYSER, version="0.9.0", status="ok")
    out = StringIO()
    before = set(Job.objects.filter(kind="recording.analyse").values_list("pk", flat=True))
    call_command("reanalyze", "--outdated", stdout=out)
    new = Job.objects.filter(kind="recording.analyse").exclude(pk__in=before)
    assert [j.target_id for j in new] == [str(stale.pk)]
    assert "queued analysis for 1 recording(s)" in out.getvalue()


def test_transcription_downloads_as_midi_and_musicxml(analysed):
    import io
    from xml.etree import ElementTree as ET

    import pretty_midi

    rec = analysed["recording"]
    notes = api(analysed["listener"]).get(f"/api/recordings/{rec.pk}/notes/").json()
    midi = api(analysed["listener"]).get(f"/api/recordings/{rec.pk}/notes/midi/")
    assert midi.status_code == 200 and midi["Content-Type"] == "audio/midi"
    assert len(pretty_midi.PrettyMIDI(io.BytesIO(midi.content)).instruments[0].notes) == len(notes)
    xml = api(analysed["listener"]).get(f"/api/recordings/{rec.pk}/notes/musicxml/")
    assert len(ET.fromstring(xml.content).findall(".//note[pitch]")) == len(notes)
    assert_valid_xml("musicxml", xml.content)  # the published MusicXML 4.0 schema
    assert api(None).get(f"/api/recordings/{rec.pk}/notes/midi/").status_code == 403
