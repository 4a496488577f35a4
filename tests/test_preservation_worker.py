"""From upload to streaming, on a real worker: derivation, the access copy served
with Range through the access check, and fixity catching a tampered master."""
import io

import pytest
import soundfile as sf
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from archive.models import PreservationEvent, RecordingFile
from tests import factories as f
from tests.audio import synth
from tests.factories import api_client as client
from tests.test_ingest_api import upload
from tests.test_jobs_worker import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def ingested(celery_worker, tmp_path):
    steward, member, registered = f.make_user("steward"), f.make_user("member"), f.make_user("registered")
    community = f.make_community(stewards=[steward], members=[member])
    recording = f.make_recording(community, record_protocol="public", media_protocol="registered")
    master = synth.write(tmp_path / "master.flac", fmt="FLAC", subtype="PCM_24", seconds=8.0, rate=96000, channels=2)
    response = upload(member, recording, master)
    assert response.status_code == 201, response.json()
    job = wait_for(response.json()["job"])
    assert job.state == "succeeded", job.error
    return {"steward": steward, "member": member, "registered": registered, "recording": recording,
            "master": master.read_bytes()}




def test_derivation_makes_an_access_copy_and_peaks(ingested):
    recording = ingested["recording"]
    roles = set(RecordingFile.objects.filter(recording=recording).values_list("role", flat=True))
    assert roles == {"master", "access", "peaks"}
    assert PreservationEvent.objects.filter(recording=recording, type="derivation").count() == 1
    audio = client(ingested["registered"]).get(f"/api/recordings/{recording.pk}/audio/")
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/ogg" and audio["Accept-Ranges"] == "bytes"
    data = b"".join(audio.streaming_content)
    info = sf.info(io.BytesIO(data))
    assert (info.format, info.samplerate, info.channels) == ("OGG", 48000, 2)
    assert info.duration == pytest.approx(8.0, abs=0.05)
    peaks = client(ingested["registered"]).get(f"/api/recordings/{recording.pk}/peaks/")
    import json

    assert json.loads(b"".join(peaks.streaming_content))["length"] == pytest.approx(400, abs=1)


def test_range_requests_seek_in_the_access_copy(ingested):
    recording = ingested["recording"]
    c = client(ingested["registered"])
    whole = b"".join(c.get(f"/api/recordings/{recording.pk}/audio/").streaming_content)
    part = c.get(f"/api/recordings/{recording.pk}/audio/", HTTP_RANGE="bytes=100-1099")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-1099/{len(whole)}"
    assert b"".join(part.streaming_content) == whole[100:1100]
    tail = c.get(f"/api/recordings/{recording.pk}/audio/", HTTP_RANGE="bytes=-500")
    assert b"".join(tail.streaming_content) == whole[-500:]
    beyond = c.get(f"/api/recordings/{recording.pk}/audio/", HTTP_RANGE=f"bytes={len(whole) + 10}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(whole)}"


def test_media_protocol_guards_the_audio(ingested):
    recording = ingested["recording"]
    assert client(None).get(f"/api/recordings/{recording.pk}/audio/").status_code == 403  # record public, media not
    assert client(None).get(f"/api/recordings/{recording.pk}/peaks/").status_code == 403
    original = client(ingested["registered"]).get(f"/api/recordings/{recording.pk}/audio/?original=1")
    assert original.status_code == 403  # the master is for members
    mine = client(ingested["member"]).get(f"/api/recordings/{recording.pk}/audio/?original=1")
    assert mine.status_code == 200 and b"".join(mine.streaming_content) == ingested["master"]
    hidden = f.make_recording(recording.community, record_protocol="community")
    assert client(ingested["registered"]).get(f"/api/recordings/{hidden.pk}/audio/").status_code == 404


def test_fixity_catches_a_changed_byte(ingested, capsys):
    recording = ingested["recording"]
    call_command("fixity", "--all")
    assert "0 failed" in capsys.readouterr().out
    master = RecordingFile.objects.get(recording=recording, role="master")
    path = default_storage.path(master.storage_name)
    with open(path, "r+b") as fh:  # one byte in the middle of the audio
        fh.seek(master.size // 2)
        byte = fh.read(1)
        fh.seek(master.size // 2)
        fh.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(SystemExit):
        call_command("fixity", "--all")
    failed = PreservationEvent.objects.filter(recording=recording, type="fixity check", outcome="failure").get()
    assert master.sha256 in failed.detail
    master.refresh_from_db()
    assert master.fixity_ok is False
    web = Client()
    web.force_login(ingested["steward"])
    assert "Fixity failures" in web.get("/dashboard/").content.decode()
    health = web.get("/healthz").json()
    assert health["fixity"]["failures"] == 1


def test_a_missing_master_fails_fixity(ingested):
    master = RecordingFile.objects.get(recording=ingested["recording"], role="master")
    default_storage.delete(master.storage_name)
    from archive.services.fixity import file_check_fixity

    assert file_check_fixity(file=master) is False
    assert "cannot be read" in PreservationEvent.objects.filter(type="fixity check").last().detail


def test_fixity_job_spreads_the_load(ingested, settings):
    from django.db import transaction

    from worker.services import job_create

    with transaction.atomic():
        job = job_create(kind="preservation.fixity", params={"spread": True})
    job = wait_for(job.pk)
    assert job.state == "succeeded" and job.result == {"checked": 1, "failed": 0}
