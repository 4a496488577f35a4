"""Style models on a real worker: an educator trains and generates through the API, and a
worker killed mid-training resumes the transformer from its checkpoint."""
import os
import signal
import time

import pytest

from archive.services.ingest import recording_attach_master
from generation.models import ModelSource, StyleModel
from generation.services.training import style_model_create
from tests import factories as f
from tests.audio.melody import write_melody
from tests.factories import api_client
from tests.test_jobs_worker import wait_for
from worker.models import Job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def tradition(celery_worker, tmp_path):
    steward, educator = f.make_user("steward"), f.make_user("educator")
    community = f.make_community(stewards=[steward], name="Valley singers")
    tradition = f.make_tradition(community, name="Valley songs")
    for seed in (11, 12, 13):
        recording = f.make_recording(community, tradition, training_consent="allowed", title=f"Song {seed}")
        path = tmp_path / f"song-{seed}.wav"
        write_melody(path, seed, scale="rast-quarter-tone", seconds=10.0, tonic_hz=180.0)
        _row, job = recording_attach_master(recording=recording, path=path, original_name=path.name, user=steward)
        assert wait_for(job.analysis_job.pk, timeout=120).state == "succeeded"
    return tradition, educator


def test_an_educator_trains_and_generates_through_the_api(tradition):
    tradition, educator = tradition
    client = api_client(educator)
    response = client.post("/api/style-models/", {"tradition": tradition.slug}, format="json")
    assert response.status_code == 202, response.json()
    model = response.json()
    job = wait_for(model["job"], timeout=240)
    assert job.state == "succeeded", job.error
    model = client.get(f"/api/style-models/{model['id']}/").json()
    assert model["status"] == "ready" and model["metrics"]["notes"] > 20
    assert client.get(f"/api/jobs/{job.pk}/").json()["progress"] == 1.0

    response = client.post(f"/api/style-models/{model['id']}/generate/",
                           {"count": 2, "length_notes": 16, "seed": 3, "difficulty": "medium", "tempo": 80}, format="json")
    assert response.status_code == 202, response.json()
    job = wait_for(response.json()["job"], timeout=120)
    assert job.state == "succeeded", job.error
    assert len(job.result["examples"]) == 2
    example = client.get(f"/api/examples/{job.result['examples'][0]}/").json()
    assert len(example["notes"]) == 16 and example["provenance"]["credits"][0]["name"] == "Valley singers"
    for url in example["files"].values():
        assert client.get(url).status_code == 200
    listed = client.get(f"/api/style-models/{model['id']}/examples/").json()
    assert listed["count"] == 2


def test_a_worker_killed_mid_training_resumes_from_the_checkpoint(tradition, celery_worker):
    tradition, educator = tradition
    from django.db import transaction

    with transaction.atomic():
        model = style_model_create(user=educator, tradition=tradition)
    deadline = time.monotonic() + 120
    job = Job.objects.get(pk=model.job_id)
    while not (job.state == "running" and job.progress >= 0.3) and time.monotonic() < deadline:
        assert job.state != "succeeded", "training finished before it could be killed"
        time.sleep(0.05)
        job = Job.objects.get(pk=model.job_id)
    pid = int(job.claimed_by.rsplit(":", 1)[1])
    assert pid != celery_worker.pid
    os.kill(pid, signal.SIGKILL)
    job = wait_for(model.job_id, timeout=240)
    assert job.state == "succeeded", job.error
    assert job.attempts == 2
    model.refresh_from_db()
    assert model.status == "ready"
    assert model.metrics["transformer_resumed_from_step"] > 0  # it went on from the checkpoint, not from zero
    assert ModelSource.objects.filter(model=model).count() == 3
    assert StyleModel.objects.count() == 1


def test_a_worker_killed_mid_generation_keeps_what_it_made_and_makes_the_rest_once(tradition, celery_worker):
    from django.core.files.storage import default_storage
    from django.db import transaction

    from generation.models import StudyExample
    from generation.services.examples import Request, generation_start

    tradition, educator = tradition
    with transaction.atomic():
        model = style_model_create(user=educator, tradition=tradition)
    assert wait_for(model.job_id, timeout=240).state == "succeeded"
    model.refresh_from_db()
    count = 20
    job = generation_start(model=model, user=educator, request=Request(count=count, length_notes=128, seed=5))
    deadline = time.monotonic() + 120
    while StudyExample.objects.filter(job=job).count() < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    job.refresh_from_db()
    assert job.state == "running", "generation finished before it could be killed"
    pid = int(job.claimed_by.rsplit(":", 1)[1])
    os.kill(pid, signal.SIGKILL)
    made_before = StudyExample.objects.filter(job=job).count()
    assert made_before < count
    job = wait_for(job.pk, timeout=240)
    assert job.state == "succeeded", job.error
    assert job.attempts == 2
    examples = list(StudyExample.objects.filter(job=job).order_by("index"))
    assert [e.index for e in examples] == list(range(count))
    assert [str(e.pk) for e in examples] == job.result["examples"]
    referred = {getattr(e, f"{kind}_file") for e in examples for kind in ("musicxml", "svg", "midi", "audio", "ogg")}
    stored = set()
    for index in default_storage.listdir(f"examples/{job.pk}")[0]:
        stored |= {f"examples/{job.pk}/{index}/{name}" for name in default_storage.listdir(f"examples/{job.pk}/{index}")[1]}
    assert stored == referred  # no half-written or orphaned file from the killed attempt
    for e in examples:
        with default_storage.open(e.midi_file, "rb") as fh:
            assert fh.read(4) == b"MThd"
