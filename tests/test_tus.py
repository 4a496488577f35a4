"""tus 1.0.0 at /api/uploads/: creation, offsets, checksums, termination, and an upload
cut at any byte over a real socket that resumes to the identical file."""
import base64
import hashlib
import socket
from urllib.parse import urlparse

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from archive.models import RecordingFile, Upload
from tests import factories as f
from tests.audio import synth

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def meta(**fields) -> str:
    return ",".join(f"{k} {b64(v)}" for k, v in fields.items())


@pytest.fixture
def setting(tmp_path):
    member, outsider = f.make_user("member"), f.make_user("outsider")
    community = f.make_community(members=[member], stewards=[f.make_user()])
    recording = f.make_recording(community, record_protocol="public")
    data = synth.write(tmp_path / "long.wav", seconds=3.0).read_bytes()
    client = APIClient()
    client.force_authenticate(member)
    return member, outsider, recording, data, client


def create(client, recording, data, **extra_meta):
    response = client.post("/api/uploads/", HTTP_UPLOAD_LENGTH=str(len(data)),
                           HTTP_UPLOAD_METADATA=meta(recording=str(recording.pk), filename="Tape 1.wav", **extra_meta),
                           **TUS)
    assert response.status_code == 201, response.content
    assert response["Tus-Resumable"] == "1.0.0"
    return urlparse(response["Location"]).path


def patch(client, url, offset, chunk, checksum=None):
    headers = {"HTTP_UPLOAD_OFFSET": str(offset), **TUS}
    if checksum:
        headers["HTTP_UPLOAD_CHECKSUM"] = checksum
    return client.generic("PATCH", url, chunk, content_type="application/offset+octet-stream", **headers)


@pytest.mark.django_db
def test_options_advertises_the_protocol():
    response = APIClient().options("/api/uploads/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0" and "checksum" in response["Tus-Extension"]
    assert response["Tus-Checksum-Algorithm"] == "sha256" and int(response["Tus-Max-Size"]) > 0


@pytest.mark.django_db
def test_chunks_with_checksums_become_the_master(setting):
    _, _, recording, data, client = setting
    url = create(client, recording, data, sha256=hashlib.sha256(data).hexdigest())
    assert client.head(url, **TUS)["Upload-Offset"] == "0"
    offset = 0
    for size in (1, 4095, 100_000, len(data)):
        chunk = data[offset:offset + size]
        if not chunk:
            break
        digest = "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        response = patch(client, url, offset, chunk, digest)
        assert response.status_code == 204, response.content
        offset = int(response["Upload-Offset"])
    assert offset == len(data)
    assert response["Songkeeper-Sha256"] == hashlib.sha256(data).hexdigest()
    master = RecordingFile.objects.get(recording=recording, role="master")
    assert master.sha256 == hashlib.sha256(data).hexdigest() and master.original_name == "Tape 1.wav"
    assert not Upload.objects.exists()


@pytest.mark.django_db
def test_a_bad_chunk_checksum_is_460_and_keeps_the_offset(setting):
    _, _, recording, data, client = setting
    url = create(client, recording, data)
    response = patch(client, url, 0, data[:1000], "sha256 " + base64.b64encode(b"\0" * 32).decode())
    assert response.status_code == 460
    assert client.head(url, **TUS)["Upload-Offset"] == "0"


@pytest.mark.django_db
def test_offsets_versions_and_content_type_are_enforced(setting):
    _, _, recording, data, client = setting
    url = create(client, recording, data)
    assert patch(client, url, 5, data[:10]).status_code == 409
    no_version = client.generic("PATCH", url, data[:10], content_type="application/offset+octet-stream",
                                HTTP_UPLOAD_OFFSET="0")
    assert no_version.status_code == 412 and no_version["Tus-Version"] == "1.0.0"
    wrong_type = client.generic("PATCH", url, data[:10], content_type="application/json", HTTP_UPLOAD_OFFSET="0", **TUS)
    assert wrong_type.status_code == 415
    too_long = patch(client, url, 0, data + b"extra")
    assert too_long.status_code == 413


@pytest.mark.django_db
def test_termination_removes_everything(setting):
    _, _, recording, data, client = setting
    url = create(client, recording, data)
    patch(client, url, 0, data[:500])
    upload = Upload.objects.get()
    assert client.delete(url, **TUS).status_code == 204
    assert not upload.path.exists() and not Upload.objects.exists()
    assert client.head(url, **TUS).status_code == 404


@pytest.mark.django_db
def test_outsiders_cannot_create_or_see_uploads(setting):
    _, outsider, recording, data, client = setting
    url = create(client, recording, data)
    other = APIClient()
    other.force_authenticate(outsider)
    assert other.head(url, **TUS).status_code == 404
    assert patch(other, url, 0, data[:10]).status_code == 404
    refused = other.post("/api/uploads/", HTTP_UPLOAD_LENGTH="10", HTTP_UPLOAD_METADATA=meta(recording=str(recording.pk)),
                         **TUS)
    assert refused.status_code == 403
    hidden = f.make_recording(recording.community, record_protocol="community")
    missing = other.post("/api/uploads/", HTTP_UPLOAD_LENGTH="10", HTTP_UPLOAD_METADATA=meta(recording=str(hidden.pk)),
                         **TUS)
    assert missing.status_code == 404
    assert APIClient().post("/api/uploads/", HTTP_UPLOAD_LENGTH="10", **TUS).status_code == 401


@pytest.mark.django_db
def test_a_finished_upload_that_is_not_audio_is_refused_and_removed(setting):
    _, _, recording, _, client = setting
    junk = b"this is a text file pretending to be audio" * 100
    url = create(client, recording, junk)
    response = patch(client, url, 0, junk)
    assert response.status_code == 400 and "not a recognised audio file" in response.json()["detail"]
    assert not Upload.objects.exists() and not RecordingFile.objects.exists()


def _raw_patch(live_server, path, token, offset, body: bytes, declared: int) -> None:
    """Send a PATCH that declares ``declared`` bytes but sends only ``body``, then drops the connection."""
    host, port = urlparse(live_server.url).hostname, urlparse(live_server.url).port
    head = (f"PATCH {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Token {token}\r\n"
            f"Tus-Resumable: 1.0.0\r\nUpload-Offset: {offset}\r\nContent-Type: application/offset+octet-stream\r\n"
            f"Content-Length: {declared}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(head + body)
        sock.shutdown(socket.SHUT_WR)
        try:
            sock.recv(4096)
        except OSError:
            pass


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cut", [0, 1, 4321, "half", "last"])
def test_an_upload_cut_at_any_byte_resumes_to_the_identical_file(live_server, tmp_path, cut):
    member = f.make_user()
    community = f.make_community(members=[member], stewards=[f.make_user()])
    recording = f.make_recording(community, record_protocol="public")
    data = synth.write(tmp_path / "field.wav", seconds=2.5, channels=2).read_bytes()
    cut = {"half": len(data) // 2, "last": len(data) - 1}.get(cut, cut)
    token = Token.objects.create(user=member).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    path = create(client, recording, data)
    _raw_patch(live_server, path, token, 0, data[:cut], declared=len(data))
    offset = int(client.head(path, **TUS)["Upload-Offset"])
    assert offset == cut  # every byte that arrived is kept, none that did not
    response = patch(client, path, offset, data[offset:])
    assert response.status_code == 204, response.content
    master = RecordingFile.objects.get(recording=recording, role="master")
    assert master.sha256 == hashlib.sha256(data).hexdigest() and master.size == len(data)
