"""A worker process killed with SIGKILL in the middle of an analysis: the broker redelivers the
job (acks late, rejected on worker loss), it finishes, and nothing is duplicated."""
import os
import signal
import time

import pytest

from archive.models import Analysis, RecordingFile
from archive.services.ingest import recording_attach_master
from tests import factories as f
from tests.audio.melody import write_melody
from tests.test_jobs_worker import wait_for
from worker.models import Job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_killed_worker_loses_no_analysis(celery_worker, tmp_path):
    member = f.make_user()
    community = f.make_community(members=[member], stewards=[f.make_user()])
    recording = f.make_recording(community)
    write_melody(tmp_path / "long.wav", 9, seconds=90.0)
    _row, derive = recording_attach_master(recording=recording, path=tmp_path / "long.wav", original_name="long.wav",
                                           user=member)
    job_id = derive.analysis_job.pk
    deadline = time.monotonic() + 60
    job = Job.objects.get(pk=job_id)
    while job.state != "running" and time.monotonic() < deadline:
        time.sleep(0.05)
        job = Job.objects.get(pk=job_id)
    assert job.state == "running", job.state
    pid = int(job.claimed_by.rsplit(":", 1)[1])
    assert pid != celery_worker.pid  # the pool process, not the worker's main process
    os.kill(pid, signal.SIGKILL)
    job = wait_for(job_id, timeout=120)
    assert job.state == "succeeded", job.error
    assert job.attempts == 2 and int(job.claimed_by.rsplit(":", 1)[1]) != pid
    assert Analysis.objects.filter(recording=recording, status="ok").count() == 1
    assert wait_for(derive.pk).state == "succeeded"
    assert RecordingFile.objects.filter(recording=recording).count() == 3  # master, access, peaks: no duplicates
