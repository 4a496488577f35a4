"""The Celery application. Configuration comes from Django settings (CELERY_*)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("songkeeper")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_routes = {"worker.tasks.run_job": {"queue": "default"}}
app.autodiscover_tasks(["worker"])


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    from django.conf import settings

    sender.add_periodic_task(
        float(settings.JOB_SWEEP_EVERY_SECONDS),
        sender.signature("worker.tasks.sweep_jobs"),
        name="re-send jobs whose message was lost",
    )
    sender.add_periodic_task(float(settings.SEARCH_SWEEP_EVERY_SECONDS), sender.signature("worker.tasks.search_sweep"),
                             name="rebuild search documents still marked dirty")
    sender.add_periodic_task(24 * 3600.0, sender.signature("worker.tasks.fixity_sweep"),
                             name="re-check a day's share of the masters")
    sender.add_periodic_task(24 * 3600.0, sender.signature("worker.tasks.statistics_refresh"),
                             name="refresh the query planner's statistics")
    sender.add_periodic_task(24 * 3600.0, sender.signature("worker.tasks.uploads_sweep"),
                             name="remove uploads and ingest batches given up long ago")
    sender.add_periodic_task(24 * 3600.0, sender.signature("worker.tasks.replication_sweep"),
                             name="make every replica copy still missing")
