"""Replicas: a master is acknowledged once the primary storage holds it, then a job copies it to
every configured location (checked as it is written); the steward dashboard lists files with
fewer copies than configured; fixity checks every copy and mends a bad one from a good one, the
primary included, and with no good copy left overwrites nothing. Real files, real storages."""
import pytest
from django.core.files.storage import default_storage, storages
from django.test import Client

from archive.jobs import replicate
from archive.models import FileCopy, PreservationEvent, RecordingFile
from archive.services.fixity import fixity_run
from archive.services.ingest import recording_attach_master
from tests import factories as f
from tests.audio import synth
from worker.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(tmp_path):
    steward = f.make_user("replica-steward")
    recording = f.make_recording(f.make_community(stewards=[steward]), title="Tide song")
    row, _job = recording_attach_master(recording=recording, path=synth.write(tmp_path / "a.wav", seconds=1.0),
                                        original_name="a.wav", user=steward, move=False)
    return steward, recording, row


def run_replication(recording):
    job = Job.objects.get(kind="preservation.replicate", target_id=str(recording.pk))
    return replicate(job, lambda progress, message="": None)  # what the worker runs


def dashboard(steward) -> str:
    client = Client()
    client.force_login(steward)
    return client.get("/dashboard/").content.decode()


def test_a_master_is_copied_to_every_location_and_the_dashboard_follows(replicas, stored):
    steward, recording, master = stored
    page = dashboard(steward)
    assert 'id="under-replicated"' in page and "1 of 3 copies" in page  # acknowledged, not yet copied
    assert run_replication(recording) == {"replicated": 1, "failed": 0}
    original = default_storage.open(master.storage_name).read()
    for location in replicas:
        assert storages[f"replica:{location}"].open(master.storage_name).read() == original
        copy = FileCopy.objects.get(file=master, location=location)
        assert copy.ok and copy.sha256 == master.sha256 and copy.size == master.size
    assert 'id="under-replicated"' not in dashboard(steward)
    assert recording.events.filter(type="replication", outcome="success").exists()


def test_without_replicas_nothing_is_copied_or_asked_for(stored):
    steward, recording, _master = stored
    assert not Job.objects.filter(kind="preservation.replicate").exists()
    assert 'id="under-replicated"' not in dashboard(steward)


def test_a_damaged_copy_is_mended_from_a_good_one_the_primary_included(replicas, stored):
    _steward, recording, master = stored
    run_replication(recording)
    original = default_storage.open(master.storage_name).read()
    primary_path = default_storage.path(master.storage_name)
    with open(primary_path, "r+b") as handle:  # bit rot on the primary
        handle.seek(100)
        handle.write(b"\x00\x01\x02")
    b_path = storages["replica:disk-b"].path(master.storage_name)
    storages["replica:disk-c"].delete(master.storage_name)  # a copy lost

    assert fixity_run(everything=True) == {"checked": 1, "failed": 0}  # found and mended
    assert open(primary_path, "rb").read() == original
    assert storages["replica:disk-c"].open(master.storage_name).read() == original
    assert open(b_path, "rb").read() == original
    master.refresh_from_db()
    assert master.fixity_ok and all(c.ok for c in master.copies.all())
    repairs = recording.events.filter(type=PreservationEvent.Type.REPAIR, outcome="success")
    assert {e.detail.split(" restored")[0] for e in repairs} == {"master: the copy at primary",
                                                                 "master: the copy at disk-c"}
    assert recording.events.filter(type="fixity check", outcome="failure").count() == 2


def test_with_no_good_copy_left_nothing_is_overwritten_and_it_is_flagged(replicas, stored):
    steward, recording, master = stored
    run_replication(recording)
    paths = [default_storage.path(master.storage_name)] + [
        storages[f"replica:{location}"].path(master.storage_name) for location in replicas]
    for i, path in enumerate(paths):  # each copy damaged differently
        with open(path, "r+b") as handle:
            handle.seek(200 + i)
            handle.write(b"\xff")
    damaged = [open(p, "rb").read() for p in paths]
    assert fixity_run(everything=True) == {"checked": 1, "failed": 1}
    assert [open(p, "rb").read() for p in paths] == damaged  # nothing overwritten
    assert RecordingFile.objects.get(pk=master.pk).fixity_ok is False
    assert recording.events.filter(type=PreservationEvent.Type.REPAIR, outcome="failure").exists()
    assert "Fixity failures" in dashboard(steward)
