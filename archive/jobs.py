"""The archive's job kinds, each a thin call into its services; registered with the worker (a
plain job engine that imports no app) when the app is ready (apps.py)."""
import requests
from django.conf import settings

from worker.registry import PermanentJobError, TransientJobError, job_handler
from worker.services import job_create

from .harvest.oai import SourceError
from .harvest.polite import Throttled, Unreachable
from .models import HarvestCandidate, HarvestSource, HubProject, IngestBatch, Recording
from .selectors import replica_locations
from .services.analysis import recording_analyse
from .services.bulk_ingest import ingest_manifest
from .services.derivatives import local_copy, recording_derive
from .services.errors import ServiceError
from .services.fixity import fixity_run
from .services.harvest import harvest_run, media_fetch
from .services.hub import HubAway, hub_project_refresh
from .services.ingest_batches import batch_ingest
from .services.recordings import recording_erase_files
from .services.replicas import replicate_missing


@job_handler("recording.erase")
def erase_recording(job, report):
    recording = Recording.objects.filter(pk=job.target_id).first()
    if recording is None:
        raise PermanentJobError("the recording no longer exists")
    report(0.1, "deleting stored files")
    try:
        return recording_erase_files(recording=recording, reason=job.params.get("reason", ""), user=job.created_by)
    except ServiceError as exc:
        raise PermanentJobError(exc.message) from None


@job_handler("recording.derive")
def derive_recording(job, report):
    recording = Recording.objects.filter(pk=job.target_id).first()
    if recording is None:
        raise PermanentJobError("the recording no longer exists")
    try:
        result = recording_derive(recording=recording, report=report)
    except ServiceError as exc:
        raise PermanentJobError(exc.message) from None
    if replica_locations():  # the new access copy goes to the replicas too
        job_create(kind="preservation.replicate", target=recording)
    return result


@job_handler("preservation.replicate")
def replicate(job, report):
    """A recording's files (or, without a target, any file) copied to every replica location that
    lacks them; retried while a location cannot take them (the daily sweep catches the rest)."""
    recording = Recording.objects.filter(pk=job.target_id).first() if job.target_id else None
    if job.target_id and recording is None:
        raise PermanentJobError("the recording no longer exists")
    result = replicate_missing(recording=recording)
    if result["failed"]:
        raise TransientJobError(f"{result['failed']} file(s) could not be copied yet")
    return result


@job_handler("preservation.fixity")
def fixity(job, report):
    return fixity_run(everything=bool(job.params.get("all")), spread=bool(job.params.get("spread")))


def _rows_progress(report):
    """An ingest's progress by rows, as its job reports it."""
    return lambda done, total: report(done / max(total, 1), f"{done} of {total} rows")


@job_handler("ingest.manifest")
def ingest(job, report):
    """A manifest uploaded on the web, over the files in INGEST_ROOT, on behalf of the steward who sent it."""
    try:
        with local_copy(job.params["manifest"]) as manifest:
            result = ingest_manifest(directory=settings.INGEST_ROOT, manifest=manifest, user=job.created_by,
                                     progress=_rows_progress(report))
    except ServiceError as exc:
        raise PermanentJobError(exc.message) from None
    return result.as_dict()


@job_handler("ingest.batch")
def ingest_batch(job, report):
    """A manifest and its files sent from the browser (archive/services/ingest_batches.py)."""
    batch = IngestBatch.objects.filter(pk=job.params["batch"]).first()
    if batch is None:
        raise PermanentJobError("the batch is gone")
    return batch_ingest(batch=batch, progress=_rows_progress(report)).as_dict()


@job_handler("recording.analyse", queue="analysis")
def analyse_recording(job, report):
    recording = Recording.objects.select_related("tradition").filter(pk=job.target_id).first()
    if recording is None:
        raise PermanentJobError("the recording no longer exists")
    try:
        return recording_analyse(recording=recording, report=report)
    except ServiceError as exc:
        raise PermanentJobError(exc.message) from None


@job_handler("harvest.run")
def harvest(job, report):
    """A harvest of another archive into the community's review queue. A source that is away or
    asks us to wait is retried later from the saved position."""
    source = HarvestSource.objects.select_related("community").filter(pk=job.target_id).first()
    if source is None:
        raise PermanentJobError("the harvest source no longer exists")
    try:
        return harvest_run(source=source, report=report)
    except (Throttled, Unreachable) as exc:
        raise TransientJobError(str(exc)) from None
    except SourceError as exc:
        raise PermanentJobError(str(exc)) from None


@job_handler("harvest.fetch_media")
def fetch_media(job, report):
    """The audio a harvested record offers, copied into the recording it became."""
    candidate = HarvestCandidate.objects.select_related("source", "recording").filter(pk=job.target_id).first()
    if candidate is None or candidate.recording is None:
        raise PermanentJobError("the candidate or its recording no longer exists")
    try:
        return media_fetch(candidate=candidate, user=job.created_by, report=report,
                           rights_confirmed=bool(job.params.get("rights_confirmed")))
    except (Throttled, Unreachable, requests.RequestException) as exc:
        raise TransientJobError(str(exc)) from None
    except (SourceError, ServiceError) as exc:
        raise PermanentJobError(getattr(exc, "message", str(exc))) from None


@job_handler("hub.refresh")
def hub_refresh(job, report):
    """A community's Local Contexts Hub project read again; a Hub away is retried, and what was
    kept stays meanwhile."""
    project = HubProject.objects.select_related("community").filter(pk=job.target_id).first()
    if project is None:
        raise PermanentJobError("the Hub project is no longer linked")
    try:
        return hub_project_refresh(project=project)
    except (HubAway, Throttled, Unreachable, requests.RequestException) as exc:
        raise TransientJobError(str(exc)) from None
