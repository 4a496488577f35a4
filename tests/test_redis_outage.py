"""The broker crashes (a Redis that keeps nothing on disk, killed) while one job runs and others
wait, then comes back empty. Real processes: gunicorn, a Celery worker with beat, and a Redis of
the test's own. The web stays up and says the queue is unavailable; the Job table and the beat's
sweep make sure every job still runs, once."""
import time

import pytest
import requests
from rest_framework.authtoken.models import Token

from archive.models import Analysis, RecordingFile
from tests import factories as f
from tests.audio.melody import write_melody
from tests.processes import RedisServer, database_url, start_web, start_worker, stop, subprocess_env
from worker.models import Job
from worker.services import QUEUE_UNAVAILABLE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} after {timeout}s")


def _upload(client: requests.Session, base: str, recording, path) -> requests.Response:
    with open(path, "rb") as fh:
        return client.post(f"{base}/api/recordings/{recording.pk}/upload/", files={"file": (path.name, fh)}, timeout=60)


def test_no_job_is_lost_when_redis_crashes_and_comes_back(tmp_path):
    steward = f.make_user("steward")
    community = f.make_community(stewards=[steward])
    first, second = f.make_recording(community, title="Before the outage"), f.make_recording(community, title="During")
    token = Token.objects.create(user=steward).key
    long_song, short_song = tmp_path / "long.wav", tmp_path / "short.wav"
    write_melody(long_song, 5, seconds=240.0)
    write_melody(short_song, 6, seconds=20.0)

    redis = RedisServer(tmp_path / "redis").start()
    env = subprocess_env(database_url(), redis.url, JOB_SWEEP_EVERY_SECONDS="1", JOB_STALE_AFTER_SECONDS="3")
    worker = web = None
    try:
        worker = start_worker(env, tmp_path / "worker.log")
        web, port = start_web(env, tmp_path / "web.log")
        base = f"http://127.0.0.1:{port}"
        client = requests.Session()
        client.headers["Authorization"] = f"Token {token}"

        answer = _upload(client, base, first, long_song)
        assert answer.status_code == 201, answer.text
        analysis_job = answer.json()["analysis_job"]
        _wait(lambda: Job.objects.get(pk=analysis_job).state == "running", 120, "the analysis did not start")

        redis.stop()  # the broker crashes with one job running, its message unacknowledged

        answer = _upload(client, base, second, short_song)
        assert answer.status_code == 201, answer.text  # the upload itself needs no queue
        waiting = [answer.json()["job"], answer.json()["analysis_job"]]
        for job_id in waiting:
            seen = client.get(f"{base}/api/jobs/{job_id}/", timeout=10).json()
            assert seen["state"] == "queued" and seen["message"] == QUEUE_UNAVAILABLE
        health = requests.get(f"{base}/healthz", timeout=30)
        assert health.status_code == 503 and health.json()["broker"]["ok"] is False
        assert client.get(f"{base}/api/recordings/{second.pk}/", timeout=30).status_code == 200
        assert requests.get(f"{base}/", timeout=30).status_code == 200  # pages too
        time.sleep(3)

        redis.start()  # back, on the same port, with no messages at all
        every = list(Job.objects.values_list("pk", flat=True))
        assert len(every) == 4
        for job_id in every:
            job = _wait(lambda job_id=job_id: Job.objects.filter(pk=job_id, state__in=["succeeded", "failed"]).first(),
                        240, f"job {job_id} did not finish")
            assert job.state == "succeeded", (job.kind, job.error)
            assert job.attempts == 1, (job.kind, job.attempts)  # run once: none twice, none lost
        assert requests.get(f"{base}/healthz", timeout=30).json()["broker"]["ok"] is True
    finally:
        stop(web)
        stop(worker)
        redis.stop()
    for recording in (first, second):
        assert Analysis.objects.filter(recording=recording, status="ok").count() == 1
        assert RecordingFile.objects.filter(recording=recording).count() == 3  # master, access copy, peaks
    assert Job.objects.filter(message=QUEUE_UNAVAILABLE).count() == 0
