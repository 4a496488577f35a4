"""The same ingest, derivation, streaming, fixity, export and erasure on S3-compatible
object storage (django-storages), against a local moto S3 server on 127.0.0.1; and a bucket as a
replica of local disk, checked and mended both ways."""
import io
import socket

import boto3
import pytest
import soundfile as sf
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from archive.exports.bag import export_bag
from archive.jobs import replicate
from archive.models import Collection, FileCopy, PreservationEvent, RecordingFile
from archive.services.derivatives import recording_derive
from archive.services.fixity import file_check_fixity, fixity_run
from archive.services.ingest import recording_attach_master
from archive.services.recordings import recording_erase_files, recording_withdraw
from tests import factories as f
from tests.audio import synth
from worker.models import Job

pytestmark = pytest.mark.django_db
BUCKET = "songkeeper-test"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                 region_name="us-east-1").create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3(settings, s3_server):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": s3_server, "access_key": "test", "secret_key": "test",
        "region_name": "us-east-1", "default_acl": None, "file_overwrite": False}}}
    client = boto3.client("s3", endpoint_url=s3_server, aws_access_key_id="test", aws_secret_access_key="test",
                          region_name="us-east-1")
    return client


def test_the_preservation_life_on_s3(s3, tmp_path):
    steward = f.make_user("keeper")
    community = f.make_community(stewards=[steward])
    collection = Collection.objects.create(community=community, title="Tapes")
    recording = f.make_recording(community, collection=collection, record_protocol="public", media_protocol="public")
    path = synth.write(tmp_path / "tape.flac", fmt="FLAC", subtype="PCM_24", seconds=6.0, rate=48000, channels=2)
    original = path.read_bytes()
    master, _job = recording_attach_master(recording=recording, path=path, original_name="tape.flac", user=steward)
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    stored = s3.get_object(Bucket=BUCKET, Key=master.storage_name)["Body"].read()
    assert stored == original  # bit for bit, in the bucket

    recording_derive(recording=recording)
    access = RecordingFile.objects.get(recording=recording, role="access")
    whole = b"".join(APIClient().get(f"/api/recordings/{recording.pk}/audio/").streaming_content)
    assert sf.info(io.BytesIO(whole)).format == "OGG" and len(whole) == access.size
    part = APIClient().get(f"/api/recordings/{recording.pk}/audio/", HTTP_RANGE="bytes=1000-1999")
    assert part.status_code == 206 and b"".join(part.streaming_content) == whole[1000:2000]

    assert file_check_fixity(file=master) is True
    s3.put_object(Bucket=BUCKET, Key=master.storage_name, Body=original[:-1] + bytes([original[-1] ^ 1]))
    assert file_check_fixity(file=master) is False
    assert PreservationEvent.objects.filter(recording=recording, type="fixity check", outcome="failure").exists()
    s3.put_object(Bucket=BUCKET, Key=master.storage_name, Body=original)

    bag = export_bag(collection=collection, dest=tmp_path / "bag", user=steward)
    assert bag["valid"] and (tmp_path / "bag" / "data" / "recordings" / str(recording.pk) / "master.flac").read_bytes() == original

    recording_withdraw(recording=recording, user=steward)
    recording.refresh_from_db()
    result = recording_erase_files(recording=recording, user=steward)
    assert result["files_deleted"] >= 3
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"recordings/{recording.pk}/")
    assert listed.get("KeyCount", 0) == 0


def test_a_bucket_as_replica_is_written_checked_and_mends_and_is_mended(settings, s3_server, tmp_path):
    """The usual set-up: the primary on local disk, a copy in an S3-compatible bucket
    (STORAGE_REPLICAS). The job writes the copy; fixity finds a changed object in the bucket and
    mends it from the disk, then finds the disk's file gone and brings it back from the bucket."""
    settings.STORAGE_REPLICAS = [{"name": "bucket", "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": s3_server, "access_key": "test", "secret_key": "test",
        "region_name": "us-east-1", "default_acl": None, "file_overwrite": True, "location": "replica"}}]
    settings.STORAGES = {**settings.STORAGES, "replica:bucket": {k: v for k, v in settings.STORAGE_REPLICAS[0].items()
                                                                 if k != "name"}}
    client = boto3.client("s3", endpoint_url=s3_server, aws_access_key_id="test", aws_secret_access_key="test",
                          region_name="us-east-1")
    steward = f.make_user("bucket-steward")
    recording = f.make_recording(f.make_community(stewards=[steward]), title="Harbour song")
    master, _job = recording_attach_master(recording=recording, path=synth.write(tmp_path / "h.wav", seconds=2.0),
                                           original_name="h.wav", user=steward, move=False)
    original = default_storage.open(master.storage_name).read()
    job = Job.objects.get(kind="preservation.replicate", target_id=str(recording.pk))
    replicate(job, lambda progress, message="": None)  # what the worker runs
    key = f"replica/{master.storage_name}"
    assert client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == original
    copy = FileCopy.objects.get(file=master, location="bucket")
    assert copy.ok and copy.sha256 == master.sha256

    client.put_object(Bucket=BUCKET, Key=key, Body=original[:-1] + bytes([original[-1] ^ 1]))  # changed in the bucket
    assert fixity_run(everything=True) == {"checked": 1, "failed": 0}
    assert client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == original
    default_storage.delete(master.storage_name)  # the disk's copy lost
    assert fixity_run(everything=True) == {"checked": 1, "failed": 0}
    assert default_storage.open(master.storage_name).read() == original
    repairs = [e.detail for e in recording.events.filter(type=PreservationEvent.Type.REPAIR, outcome="success")]
    assert any("at bucket restored from primary" in d for d in repairs)
    assert any("at primary restored from bucket" in d for d in repairs)
