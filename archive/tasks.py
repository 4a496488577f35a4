"""The archive's periodic work, run by Celery beat (the schedule: CELERY_BEAT_SCHEDULE in
config/settings.py); each starts a job or calls a service."""
from celery import shared_task
from django.db import transaction

from worker.services import job_create

from .search.index import search_reindex_dirty
from .search.statistics import statistics_refresh as refresh
from .selectors import replica_locations
from .services.hub import hub_refresh_due
from .services.resumable import uploads_sweep_abandoned


@shared_task(name="archive.tasks.fixity_sweep", ignore_result=True)
def fixity_sweep():
    """Beat, daily: a job that re-checks a day's share of the masters."""
    with transaction.atomic():
        job_create(kind="preservation.fixity", params={"spread": True})


@shared_task(name="archive.tasks.statistics_refresh", ignore_result=True)
def statistics_refresh():
    """Beat, daily: the query planner's table statistics (archive/search/statistics.py)."""
    return refresh()


@shared_task(name="archive.tasks.search_sweep", ignore_result=True)
def search_sweep():
    """Beat: rebuild the search documents of recordings still marked dirty (a missed rebuild)."""
    return search_reindex_dirty(limit=1000)


@shared_task(name="archive.tasks.uploads_sweep", ignore_result=True)
def uploads_sweep():
    """Beat, daily: uploads and ingest batches given up long ago (archive/services/resumable.py)."""
    return uploads_sweep_abandoned()


@shared_task(name="archive.tasks.replication_sweep", ignore_result=True)
def replication_sweep():
    """Beat, daily: a job that makes every copy still missing (archive/services/replicas.py)."""
    if replica_locations():
        with transaction.atomic():
            job_create(kind="preservation.replicate", params={})


@shared_task(name="archive.tasks.hub_refresh_sweep", ignore_result=True)
def hub_refresh_sweep():
    """Beat, hourly: a refresh job for each Local Contexts Hub project not read for a day."""
    return hub_refresh_due()
