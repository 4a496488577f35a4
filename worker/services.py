"""Writes to Job rows. The row is created in the caller's transaction and the
Celery message is sent only once that transaction commits."""
import os
import socket
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Job
from .registry import queue_for


def _send(job_id) -> None:
    from .tasks import run_job  # tasks.py runs jobs through this module: a cycle

    run_job.apply_async(args=[str(job_id)], queue=queue_for(Job.objects.get(pk=job_id).kind))
    Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(enqueued_at=timezone.now(), message="")


QUEUE_UNAVAILABLE = "the job queue is unavailable for now: the job is kept and starts when the queue is back"


def job_send(*, job_id) -> bool:
    """Publish a job's message; False when the broker is unreachable (the sweep will retry)."""
    try:
        _send(job_id)
        return True
    except Exception:  # broker down: the row stays queued, says so, and the sweep re-sends it
        Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(message=QUEUE_UNAVAILABLE)
        return False


def job_create(*, kind: str, target=None, params: dict | None = None, user=None) -> Job:
    """Record a job in the current transaction; its message goes out on commit."""
    job = Job.objects.create(
        kind=kind,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        params=params or {},
        queue=queue_for(kind),
        created_by=user if user is not None and user.is_authenticated else None,
        enqueued_at=timezone.now(),
    )
    transaction.on_commit(lambda: job_send(job_id=job.pk))
    return job


def job_claim(*, job_id, message_id: str) -> Job | None:
    """Mark a job running for this message; None when another message holds it or it is finished.

    A queued job is claimed by whichever of its messages comes first. A running
    job is claimed again only by a redelivery of the same message (its worker died).
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.state == Job.State.RUNNING and job.message_id != message_id:
            return None
        job.state = Job.State.RUNNING
        job.message_id = message_id
        job.claimed_by = f"{socket.gethostname()}:{os.getpid()}"
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["state", "message_id", "claimed_by", "attempts", "started_at", "modified"])
        return job


def job_report(*, job_id, progress: float, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        progress=max(0.0, min(1.0, float(progress))), message=message[:255], modified=timezone.now()
    )


def job_succeed(*, job_id, result: Any) -> None:
    Job.objects.filter(pk=job_id).update(
        state=Job.State.SUCCEEDED, progress=1.0, result=result, error="",
        finished_at=timezone.now(), modified=timezone.now(),
    )


def job_fail(*, job_id, error: str) -> None:
    Job.objects.filter(pk=job_id).update(
        state=Job.State.FAILED, error=error[:4000], finished_at=timezone.now(), modified=timezone.now()
    )


def job_requeue(*, job_id, error: str) -> None:
    """Back to queued after a transient failure; the retry message (or the sweep) runs it again."""
    Job.objects.filter(pk=job_id).update(
        state=Job.State.QUEUED, error=error[:4000], enqueued_at=timezone.now(), modified=timezone.now()
    )


def jobs_resend_stale(*, older_than: timedelta | None = None, limit: int = 500) -> list[str]:
    """Re-send jobs queued for too long (their message was lost), and fail those out of attempts.

    Running jobs whose worker died are redelivered by the broker (acks_late); a
    running job silent for far longer than any time limit is put back in the queue.
    """
    now = timezone.now()
    older_than = older_than or timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    resent = []
    stuck_running = Job.objects.filter(state=Job.State.RUNNING, modified__lt=now - timedelta(hours=7))
    for job in stuck_running[:limit]:
        job_requeue(job_id=job.pk, error="worker vanished; re-queued by the sweep")
    stale = Job.objects.filter(state=Job.State.QUEUED, enqueued_at__lt=now - older_than).order_by("enqueued_at")
    for job in stale[:limit]:
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            job_fail(job_id=job.pk, error=f"gave up after {job.attempts} attempts: {job.error}")
            continue
        if job_send(job_id=job.pk):
            resent.append(str(job.pk))
    return resent
