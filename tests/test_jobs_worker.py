"""Jobs through a real Celery worker on real Redis: the row is the truth, the
message goes out on commit, failures are recorded, lost messages are re-sent by beat."""
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from archive.models import PreservationEvent, Recording
from archive.services.recordings import recording_withdraw
from tests import factories as f
from worker.models import Job
from worker.services import job_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def wait_for(job_id, states=("succeeded", "failed"), timeout=60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.state in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {Job.objects.get(pk=job_id).state} after {timeout}s")


def test_withdrawal_with_erasure_runs_on_the_worker(celery_worker):
    steward = f.make_user("steward")
    community = f.make_community(stewards=[steward])
    recording = f.make_recording(community)
    names = [default_storage.save(f"recordings/{recording.pk}/master.wav", ContentFile(b"RIFF....WAVE")),
             default_storage.save(f"recordings/{recording.pk}/derived/peaks.json", ContentFile(b"[]"))]
    response = APIClient()
    response.force_authenticate(steward)
    answer = response.delete(f"/api/recordings/{recording.pk}/?erase=1")
    assert answer.status_code == 202
    job_id = answer.json()["job"]
    job = wait_for(job_id)
    assert job.state == "succeeded", job.error
    assert job.result == {"files_deleted": 2} and job.progress == 1.0 and job.attempts == 1
    assert not any(default_storage.exists(name) for name in names)
    types = list(PreservationEvent.objects.filter(recording=recording).values_list("type", flat=True))
    assert types == ["withdrawal", "erasure"]
    seen = response.get(f"/api/jobs/{job_id}/").json()
    assert seen["state"] == "succeeded" and seen["result"] == {"files_deleted": 2}


def test_a_failing_job_records_its_reason(celery_worker):
    community = f.make_community()
    recording = f.make_recording(community)  # published: erasure must refuse it
    with transaction.atomic():
        job = job_create(kind="recording.erase", target=recording)
    job = wait_for(job.pk)
    assert job.state == "failed"
    assert job.error == "only a withdrawn recording can be erased"
    assert Recording.objects.get(pk=recording.pk).status == "published"


def test_the_message_waits_for_the_commit(celery_worker):
    community = f.make_community()
    recording = f.make_recording(community, status="withdrawn")
    with transaction.atomic():
        job = job_create(kind="recording.erase", target=recording)
        transaction.set_rollback(True)  # the work was abandoned: no row, and no message
    time.sleep(1.5)
    assert not Job.objects.filter(pk=job.pk).exists()


def test_beat_resends_a_job_whose_message_was_lost(celery_worker):
    community = f.make_community()
    recording = f.make_recording(community, status="withdrawn")
    # A row that never got its message (the broker was down at commit, or the message vanished).
    job = Job.objects.create(kind="recording.erase", target_type="archive.recording", target_id=str(recording.pk),
                             enqueued_at=timezone.now() - timedelta(minutes=10))
    job = wait_for(job.pk, timeout=60)
    assert job.state == "succeeded"
    assert PreservationEvent.objects.filter(recording=recording, type="erasure").exists()


def test_jobs_are_seen_only_by_who_started_them(celery_worker):
    owner, outsider = f.make_user(), f.make_user()
    community = f.make_community(stewards=[owner])
    recording = f.make_recording(community)
    job = recording_withdraw(recording=recording, user=owner, erase=True)
    wait_for(job.pk)
    for user, status in ((owner, 200), (outsider, 404), (None, 404)):
        client = APIClient()
        if user:
            client.force_authenticate(user)
        assert client.get(f"/api/jobs/{job.pk}/").status_code == status


def test_healthz_pings_database_broker_and_worker(celery_worker):
    response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"]["ok"] and body["broker"]["ok"] and body["workers"]["ok"]


def test_healthz_is_503_when_the_broker_is_down(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and not body["broker"]["ok"] and body["database"]["ok"]
