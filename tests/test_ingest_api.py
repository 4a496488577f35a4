"""Uploading a master through the API: checked by decoding, hashed in the same pass,
stored under an id-based name, logged; anything refused leaves nothing behind."""
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from archive.models import PreservationEvent, RecordingFile
from tests import factories as f
from tests.audio import synth
from worker.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(tmp_path):
    steward, member, outsider = f.make_user("steward"), f.make_user("member"), f.make_user("outsider")
    community = f.make_community(stewards=[steward], members=[member])
    recording = f.make_recording(community, record_protocol="public", media_protocol="community")
    return steward, member, outsider, recording, tmp_path


def multipart(fields: dict, filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body written by hand, so the file name reaches the server exactly as a client sent it."""
    boundary = "----songkeeper-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(user, recording, path: Path, name=None, **extra):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    body, content_type = multipart(extra, name or path.name, path.read_bytes())
    return client.post(f"/api/recordings/{recording.pk}/upload/", data=body, content_type=content_type)


def nothing_left(recording):
    assert not RecordingFile.objects.filter(recording=recording).exists()
    assert not Job.objects.exists()
    assert not PreservationEvent.objects.filter(recording=recording).exists()
    try:
        _dirs, files = default_storage.listdir(f"recordings/{recording.pk}/")
    except FileNotFoundError:
        files = []
    assert files == []
    assert list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []


def test_a_member_uploads_a_master(setting):
    steward, member, _, recording, tmp = setting
    path = synth.with_bext(synth.write(tmp / "Tape 3, side A.wav", subtype="PCM_24", seconds=4.0, rate=48000, channels=2))
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    response = upload(member, recording, path, sha256=expected)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == expected and body["size"] == path.stat().st_size
    assert (body["format"], body["codec"], body["bit_depth"], body["sample_rate"]) == ("wav", "pcm_24", 24, 48000)
    assert body["duration"] == pytest.approx(4.0)
    assert body["technical"]["bext"]["originator"] == "Zoom F3"
    row = RecordingFile.objects.get(recording=recording, role="master")
    assert row.original_name == "Tape 3, side A.wav"
    assert row.storage_name.startswith(f"recordings/{recording.pk}/master-") and "Tape" not in row.storage_name
    with default_storage.open(row.storage_name, "rb") as stored:
        assert stored.read() == path.read_bytes()  # bit for bit
    assert [e.type for e in recording.events.all()] == ["ingestion", "message digest calculation", "format identification"]
    job = Job.objects.get(pk=body["job"])
    assert job.kind == "recording.derive" and job.target_id == str(recording.pk)
    listed = APIClient().get(f"/api/recordings/{recording.pk}/").json()
    assert listed["media"][0]["sha256"] == expected and listed["duration_seconds"] == pytest.approx(4.0)
    assert list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []


@pytest.mark.parametrize("fmt,subtype", [("FLAC", "PCM_16"), ("AIFF", "PCM_24"), ("OGG", "VORBIS"),
                                         ("OGG", "OPUS"), ("MP3", "MPEG_LAYER_III"), ("WAV", "FLOAT")])
def test_other_formats_are_accepted_whatever_their_name(setting, fmt, subtype):
    _, member, _, recording, tmp = setting
    path = synth.write(tmp / "recording.bin", fmt=fmt, subtype=subtype, rate=48000)
    response = upload(member, recording, path)
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("make,name,message", [
    (lambda p: p.write_bytes(b""), "empty.wav", "empty"),
    (lambda p: p.write_text("not audio at all"), "song.mp3", "not a recognised audio file"),
    (lambda p: synth.lie_about_length(synth.write(p)), "liar.wav", "promises"),
    (lambda p: p.write_bytes(synth.write(p, fmt="FLAC").read_bytes()[:20_000]), "cut.flac", "frames"),
])
def test_refused_files_leave_nothing_behind(setting, make, name, message):
    _, member, _, recording, tmp = setting
    path = tmp / name
    make(path)
    response = upload(member, recording, path)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and message in response.json()["detail"]
    assert "file" in response.json()["fields"]
    nothing_left(recording)


@pytest.mark.parametrize("name", ["../../etc/passwd.wav", "a\\b.wav", "bell\x07.wav", "rtl\u202egnp.wav"])
def test_tricky_file_names_are_refused(setting, name):
    _, member, _, recording, tmp = setting
    path = synth.write(tmp / "fine.wav")
    response = upload(member, recording, path, name=name)
    assert response.status_code == 400, response.json()
    assert "file name" in response.json()["detail"]
    nothing_left(recording)


def test_a_wrong_checksum_is_refused(setting):
    _, member, _, recording, tmp = setting
    path = synth.write(tmp / "a.wav")
    response = upload(member, recording, path, sha256="0" * 64)
    assert response.status_code == 400 and response.json()["fields"] == {"sha256": [response.json()["fields"]["sha256"][0]]}
    assert "not the 000" in response.json()["detail"]
    nothing_left(recording)


def test_a_second_master_is_a_conflict(setting):
    _, member, _, recording, tmp = setting
    assert upload(member, recording, synth.write(tmp / "a.wav")).status_code == 201
    again = upload(member, recording, synth.write(tmp / "b.wav", seconds=1.0))
    assert again.status_code == 409
    assert RecordingFile.objects.filter(recording=recording).count() == 1


def test_oversize_upload_is_413(setting, settings):
    _, member, _, recording, tmp = setting
    settings.MAX_UPLOAD_BYTES = 10_000
    response = upload(member, recording, synth.write(tmp / "big.wav"))
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    nothing_left(recording)


def test_only_members_upload_and_outsiders_get_404_for_hidden(setting):
    steward, member, outsider, recording, tmp = setting
    path = synth.write(tmp / "a.wav")
    assert upload(outsider, recording, path).status_code == 403  # the record is public, the community's own is not
    assert upload(None, recording, path).status_code == 401
    hidden = f.make_recording(recording.community, record_protocol="community")
    assert upload(outsider, hidden, path).status_code == 404
    nothing_left(recording)


def test_m4a_aac_is_accepted_derived_and_analysed(setting):
    from archive.services.analysis import recording_analyse
    from archive.services.derivatives import recording_derive

    _, member, _, recording, tmp = setting
    path = synth.write_m4a(tmp / "phone recording.m4a", seconds=4.0)
    response = upload(member, recording, path)
    assert response.status_code == 201, response.json()
    assert (response.json()["format"], response.json()["codec"]) == ("m4a", "aac")
    recording_derive(recording=recording)
    assert RecordingFile.objects.filter(recording=recording, role="access").exists()
    assert recording_analyse(recording=recording)["tonic_hz"] is not None
