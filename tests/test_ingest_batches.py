"""Bulk ingest from the browser through its API: every row checked before anything is written,
the good rows' files sent with tus into the batch (resumable: a cut upload continues from its
offset), then the ingest job, whose report is the command's; a batch is its sender's alone."""
import hashlib
import io
import json
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from archive.jobs import ingest_batch
from archive.models import IngestBatch, Recording, RecordingFile, Upload
from archive.policy import forget_viewer, ingest_batches_visible
from archive.services.bulk_ingest import ingest_manifest
from tests import factories as f
from tests.audio import synth
from tests.oracle import may_see_ingest_batch
from tests.test_tus import TUS, meta, patch
from worker.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(tmp_path):
    steward, outsider = f.make_user("batch-steward"), f.make_user("batch-outsider")
    f.make_community(members=[outsider])  # a member elsewhere, so that only the batch's owner decides
    community = f.make_community(stewards=[steward], name="Fjord singers")
    tradition = f.make_tradition(community, name="Fjord songs")
    audio = {name: synth.write(tmp_path / name, seconds=1.0 + i).read_bytes()
             for i, name in enumerate(["a.wav", "b.wav"])}
    manifest = ("file,title,tradition,community,record_protocol\n"
                f"a.wav,Herring song,{tradition.slug},{community.slug},public\n"
                f"songs/b.wav,Rowing song,{tradition.slug},{community.slug},public\n"
                f"c.wav,Not chosen,{tradition.slug},{community.slug},public\n"
                f"a.wav,Same file again,{tradition.slug},{community.slug},public\n"
                f"d.wav,Wrong tradition,no-such-tradition,{community.slug},public\n")
    client = APIClient()
    client.force_authenticate(steward)
    return steward, outsider, community, audio, manifest, client


def form(manifest: str, audio: dict) -> dict:
    return {"manifest": SimpleUploadedFile("songs.csv", manifest.encode(), content_type="text/csv"),
            "files": json.dumps([{"name": n, "size": len(d)} for n, d in audio.items()] + [{"name": "d.wav", "size": 9}])}


def send(client, batch_id: str, name: str, data: bytes, cut: int | None = None) -> None:
    """A file of the batch through tus; with ``cut``, the connection drops after that many bytes."""
    created = client.post("/api/uploads/", HTTP_UPLOAD_LENGTH=str(len(data)),
                          HTTP_UPLOAD_METADATA=meta(batch=batch_id, filename=name), **TUS)
    assert created.status_code == 201, created.content
    url = urlparse(created["Location"]).path
    last = patch(client, url, 0, data[:cut or len(data)])
    if cut:  # ask where it stands, and go on from there
        offset = int(client.head(url, **TUS)["Upload-Offset"])
        assert offset == cut
        last = patch(client, url, offset, data[offset:])
    assert last.status_code == 204 and last["Songkeeper-Sha256"] == hashlib.sha256(data).hexdigest()


def test_every_row_is_checked_before_anything_is_written(setting):
    steward, _outsider, _community, audio, manifest, client = setting
    before = Recording.objects.count()
    response = client.post("/api/ingest/check/", form(manifest, audio), format="multipart")
    assert response.status_code == 200, response.content
    body = response.json()
    verdicts = {row["line"]: row for row in body["rows"]}
    assert verdicts[2]["ok"] and verdicts[3]["ok"] and verdicts[3]["file"] == "b.wav"  # a folder in the manifest
    assert "not among the files you chose" in verdicts[4]["errors"][0]
    assert "line 2 names the same file" in verdicts[5]["errors"][0]
    assert "no tradition 'no-such-tradition'" in " ".join(verdicts[6]["errors"])
    assert (body["ok"], body["refused"]) == (2, 3)
    assert Recording.objects.count() == before and not IngestBatch.objects.exists()  # nothing written


def test_a_checked_batch_receives_its_files_and_ingests_them_as_the_command_would(setting, tmp_path):
    steward, _outsider, community, audio, manifest, client = setting
    created = client.post("/api/ingest/batches/", form(manifest, audio), format="multipart")
    assert created.status_code == 201, created.content
    batch = created.json()
    assert [f["name"] for f in batch["files"]] == ["a.wav", "b.wav"]
    early = client.post(batch["start"])
    assert early.status_code == 400 and "a.wav" in early.json()["detail"]  # not all files have arrived

    refused = client.post("/api/uploads/", HTTP_UPLOAD_LENGTH="9", HTTP_UPLOAD_METADATA=meta(batch=batch["id"],
                                                                                              filename="c.wav"), **TUS)
    assert refused.status_code == 400 and "c.wav" in refused.json()["detail"]  # only what a good row names
    send(client, batch["id"], "a.wav", audio["a.wav"])
    send(client, batch["id"], "b.wav", audio["b.wav"], cut=5000)
    state = client.get(f"/api/ingest/batches/{batch['id']}/").json()
    assert all(f["complete"] for f in state["files"]) and state["job"] is None

    started = client.post(batch["start"])
    assert started.status_code == 202
    assert client.post(batch["start"]).json()["job"] == started.json()["job"]  # a second click, the same job
    job = Job.objects.get(pk=started.json()["job"])
    assert job.kind == "ingest.batch" and job.created_by == steward
    result = ingest_batch(job, lambda progress, message="": None)  # what the worker runs

    assert (result["added"], result["already_present"]) == (2, 1)  # line 5's file went in on line 2
    assert [e["line"] for e in result["errors"]] == [4, 6]
    masters = RecordingFile.objects.filter(role="master", recording__community=community)
    assert {m.sha256 for m in masters} == {hashlib.sha256(d).hexdigest() for d in audio.values()}
    assert {m.recording.title for m in masters} == {"Herring song", "Rowing song"}
    assert not Upload.objects.filter(batch_id=batch["id"]).exists()  # the staged files are gone

    folder = tmp_path / "drop"
    (folder / "songs").mkdir(parents=True)
    (folder / "a.wav").write_bytes(audio["a.wav"])
    (folder / "songs" / "b.wav").write_bytes(audio["b.wav"])
    (folder / "songs.csv").write_text(manifest)
    command = ingest_manifest(directory=folder, manifest=folder / "songs.csv", user=steward).as_dict()
    assert (command["added"], command["already_present"]) == (0, 3)  # the command finds them in: same rows,
    assert [e["line"] for e in command["errors"]] == [e["line"] for e in result["errors"]]  # same refusals


def test_a_batch_is_its_senders_alone(setting):
    steward, outsider, _community, audio, manifest, client = setting
    batch = client.post("/api/ingest/batches/", form(manifest, audio), format="multipart").json()
    kept = IngestBatch.objects.get(pk=batch["id"])
    for user in (steward, outsider, f.make_user("batch-staff", staff=True), AnonymousUser()):
        forget_viewer(user)
        assert ingest_batches_visible(user=user).filter(pk=kept.pk).exists() == may_see_ingest_batch(user, kept)
    other = APIClient()
    other.force_authenticate(outsider)
    assert other.get(f"/api/ingest/batches/{batch['id']}/").status_code == 404
    assert other.post(f"/api/ingest/batches/{batch['id']}/start/").status_code == 404
    sneaked = other.post("/api/uploads/", HTTP_UPLOAD_LENGTH="9",
                         HTTP_UPLOAD_METADATA=meta(batch=batch["id"], filename="a.wav"), **TUS)
    assert sneaked.status_code == 404
    assert APIClient().post("/api/ingest/check/", form(manifest, audio), format="multipart").status_code in (401, 403)


@pytest.mark.parametrize("manifest,expected", [
    (b"title,community\nA,b\n", "header row"),
    (b"file,title,colour\nx.wav,A,red\n", "unknown manifest columns: colour"),
    ("file,title\nx.wav,Caf\u00e9\n".encode("latin-1"), "not UTF-8"),
])
def test_a_manifest_that_is_not_one_is_refused_as_a_whole(setting, manifest, expected):
    client = setting[-1]
    response = client.post("/api/ingest/check/", {"manifest": SimpleUploadedFile("m.csv", manifest), "files": "[]"},
                           format="multipart")
    assert response.status_code == 400 and expected in response.json()["detail"]
    bad_files = client.post("/api/ingest/check/", {"manifest": io.BytesIO(b"file\n"), "files": "{oops"},
                            format="multipart")
    assert bad_files.status_code == 400 and bad_files.json()["code"]


def test_uploads_and_batches_given_up_long_ago_are_swept(setting):
    from datetime import timedelta

    from django.utils import timezone

    from archive.services.resumable import uploads_sweep_abandoned

    _steward, _outsider, _community, audio, manifest, client = setting
    old = client.post("/api/ingest/batches/", form(manifest, audio), format="multipart").json()
    fresh = client.post("/api/ingest/batches/", form(manifest, audio), format="multipart").json()
    for batch in (old, fresh):
        client.post("/api/uploads/", HTTP_UPLOAD_LENGTH="100", HTTP_UPLOAD_METADATA=meta(batch=batch["id"],
                                                                                          filename="a.wav"), **TUS)
    stale = Upload.objects.get(batch_id=old["id"])
    long_ago = timezone.now() - timedelta(days=30)
    Upload.objects.filter(pk=stale.pk).update(modified=long_ago)
    IngestBatch.objects.filter(pk=old["id"]).update(created=long_ago)
    assert stale.path.exists()
    assert uploads_sweep_abandoned() == 1
    assert not stale.path.exists() and not IngestBatch.objects.filter(pk=old["id"]).exists()
    assert Upload.objects.filter(batch_id=fresh["id"]).exists()  # one still being sent stays
