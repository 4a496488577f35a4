"""The task adapter's retry and failure paths, run through Celery's own machinery
in-process (apply), with job kinds registered by this test module."""
import pytest

from worker.models import Job
from worker.registry import PermanentJobError, TransientJobError, job_handler
from worker.tasks import run_job

pytestmark = pytest.mark.django_db
calls: dict[str, int] = {}


@job_handler("test.flaky")
def flaky(job, report):
    calls[str(job.pk)] = calls.get(str(job.pk), 0) + 1
    report(0.5, "half way")
    if calls[str(job.pk)] < 3:
        raise TransientJobError("service briefly away")
    return {"calls": calls[str(job.pk)]}


@job_handler("test.broken")
def broken(job, report):
    raise PermanentJobError("the input cannot be read")


@job_handler("test.bug")
def bug(job, report):
    return 1 / 0


def test_transient_errors_are_retried_until_success(settings):
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    job = Job.objects.create(kind="test.flaky")
    run_job.apply(args=[str(job.pk)], task_id="m-1")
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result == {"calls": 3} and job.attempts == 3


def test_permanent_errors_fail_with_their_message():
    job = Job.objects.create(kind="test.broken")
    run_job.apply(args=[str(job.pk)], task_id="m-2")
    job.refresh_from_db()
    assert job.state == "failed" and job.error == "the input cannot be read" and job.finished_at is not None


def test_a_bug_fails_the_job_with_its_type():
    job = Job.objects.create(kind="test.bug")
    run_job.apply(args=[str(job.pk)], task_id="m-3")
    job.refresh_from_db()
    assert job.state == "failed" and job.error.startswith("ZeroDivisionError")


def test_unknown_kind_fails_cleanly():
    job = Job.objects.create(kind="no.such.kind")
    run_job.apply(args=[str(job.pk)], task_id="m-4")
    job.refresh_from_db()
    assert job.state == "failed" and "unknown job kind" in job.error


def test_a_duplicate_message_does_not_run_a_finished_or_running_job():
    job = Job.objects.create(kind="test.broken", state="succeeded")
    run_job.apply(args=[str(job.pk)], task_id="m-5")
    job.refresh_from_db()
    assert job.state == "succeeded" and job.attempts == 0
    running = Job.objects.create(kind="test.broken", state="running", message_id="first-message")
    run_job.apply(args=[str(running.pk)], task_id="another-message")
    running.refresh_from_db()
    assert running.state == "running" and running.attempts == 0
    run_job.apply(args=[str(running.pk)], task_id="first-message")  # the same message redelivered after a crash
    running.refresh_from_db()
    assert running.state == "failed" and running.attempts == 1
