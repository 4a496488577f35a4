"""Thin Celery adapters: load the Job row, call its handler (each app registers its kinds when it
is ready), record the outcome; and the sweep that re-sends jobs whose message was lost."""
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from . import services
from .registry import PermanentJobError, TransientJobError, handler_for

log = logging.getLogger(__name__)
TRANSIENT = (TransientJobError, OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    name="worker.tasks.run_job",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=6 * 3600,
    time_limit=6 * 3600 + 120,
    max_retries=5,
)
def run_job(self, job_id: str):
    job = services.job_claim(job_id=job_id, message_id=self.request.id or "")
    if job is None:
        return  # finished already, or gone: a redelivered duplicate does nothing

    def report(progress: float, message: str = "") -> None:
        services.job_report(job_id=job.pk, progress=progress, message=message)

    try:
        result = handler_for(job.kind)(job, report)
    except TRANSIENT as exc:
        reason = f"{type(exc).__name__}: {exc}"
        if self.request.retries >= self.max_retries:
            services.job_fail(job_id=job.pk, error=f"gave up after retries: {reason}")
            return
        services.job_requeue(job_id=job.pk, error=reason)
        raise self.retry(exc=exc, countdown=min(300, 2 ** (self.request.retries + 1))) from exc
    except SoftTimeLimitExceeded:
        services.job_fail(job_id=job.pk, error="took longer than the time limit")
    except PermanentJobError as exc:
        services.job_fail(job_id=job.pk, error=str(exc))
    except Exception as exc:  # a bug: record it for the user and the log, do not loop
        log.exception("job %s failed", job_id)
        services.job_fail(job_id=job.pk, error=f"{type(exc).__name__}: {exc}")
    else:
        services.job_succeed(job_id=job.pk, result=result)


@shared_task(name="worker.tasks.sweep_jobs", ignore_result=True)
def sweep_jobs():
    """Beat: re-send jobs whose message was lost."""
    return len(services.jobs_resend_stale())
