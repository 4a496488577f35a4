"""Bulk ingest from the browser: a steward chooses a CSV manifest and its audio files together.
Every row is checked before anything is written (batch_check: the ingest's own checks, in a
transaction that is rolled back); the good rows' files are then sent with the resumable tus
upload (resumable.py), and once all have arrived a job ingests the batch exactly as
`manage.py ingest` does, with the same report."""
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from worker.models import Job
from worker.services import job_create

from ..models import IngestBatch, Upload
from .bulk_ingest import IngestReport, ingest_rows, manifest_rows, row_problem
from .errors import Conflict, ServiceError

MAX_MANIFEST_BYTES = 5 * 1024 * 1024


def file_key(name: str) -> str:
    """A row's file as the browser names a chosen file: without the folders a drop-folder manifest
    may give (songs/a.wav and songs\\a.wav are a.wav)."""
    return (name or "").strip().replace("\\", "/").rsplit("/", 1)[-1]


def manifest_text(upload) -> str:
    """The text of a manifest sent from a form; a clear error for what is not a UTF-8 CSV."""
    if upload is None:
        raise ServiceError(gettext("Choose a CSV manifest (at most 5 MB)."), field="manifest")
    if upload.size > MAX_MANIFEST_BYTES:
        raise ServiceError(gettext("Choose a CSV manifest (at most 5 MB)."), field="manifest")
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(gettext("the manifest is not UTF-8 text: save it as “CSV UTF-8”"), field="manifest") from None


def batch_check(*, user, text: str, chosen: dict[str, int]) -> list[dict]:
    """Each row with what would stop it: its file not among those chosen (``chosen``: name → size),
    empty, or named twice, and whatever the ingest itself would refuse. Writes nothing."""
    rows, seen = [], {}
    for line, row in manifest_rows(text):
        name = file_key(row.get("file"))
        errors = []
        if not name:
            errors.append(gettext("the row names no file"))
        elif name not in chosen:
            errors.append(gettext("“%(file)s” is not among the files you chose") % {"file": name})
        elif chosen[name] <= 0:
            errors.append(gettext("“%(file)s” is empty") % {"file": name})
        elif name in seen:
            errors.append(gettext("line %(line)s names the same file") % {"line": seen[name]})
        seen.setdefault(name, line)
        problem = row_problem(row, user)
        if problem:
            errors.append(problem)
        rows.append({"line": line, "file": name, "title": (row.get("title") or "").strip(), "ok": not errors,
                     "errors": errors})
    return rows


def batch_create(*, user, filename: str, text: str, chosen: dict[str, int]) -> tuple[IngestBatch, list[dict]]:
    """Check the manifest again and keep it with the files its good rows name, to be uploaded."""
    rows = batch_check(user=user, text=text, chosen=chosen)
    good = [row["file"] for row in rows if row["ok"]]
    if not good:
        raise ServiceError(gettext("no row of this manifest can be ingested: correct the rows reported and check again"))
    batch = IngestBatch.objects.create(user=user, filename=(filename or "manifest.csv")[:255], manifest=text, files=good)
    return batch, rows


def batch_files(batch: IngestBatch) -> list[dict]:
    """Each file the batch waits for, with how much of it has arrived."""
    uploads = {u.filename: u for u in batch.uploads.order_by("created")}
    return [{"name": name, "received": uploads[name].offset if name in uploads else 0,
             "length": uploads[name].length if name in uploads else None,
             "complete": name in uploads and uploads[name].complete} for name in batch.files]


def batch_start(*, batch: IngestBatch):
    """Queue the ingest once every file has arrived (again: the same job)."""
    missing = [f["name"] for f in batch_files(batch) if not f["complete"]]
    if missing:
        raise ServiceError(gettext("these files have not all arrived yet: %(files)s") % {"files": ", ".join(missing)})
    with transaction.atomic():
        locked = IngestBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.job_id:
            job = Job.objects.filter(pk=locked.job_id).first()
            if job is not None:
                return job
        job = job_create(kind="ingest.batch", params={"batch": str(batch.pk), "filename": batch.filename},
                         user=batch.user)
        IngestBatch.objects.filter(pk=batch.pk).update(job_id=job.pk)
    return job


def batch_ingest(*, batch: IngestBatch, progress=None) -> IngestReport:
    """The job: every row of the manifest, its file found among the batch's uploads. The uploads are
    removed once all rows are done (a worker that dies before that runs it again: rows already in
    are found by their checksum and reported as present)."""
    uploads = {u.filename: u for u in batch.uploads.all() if u.complete}

    def uploaded(name: str):
        name = file_key(name)
        if name not in uploads or not uploads[name].path.is_file():
            raise ServiceError(gettext("“%(file)s” was not uploaded") % {"file": name}, field="file")
        return uploads[name].path

    report = ingest_rows(manifest_rows(batch.manifest), file_for=uploaded, user=batch.user, progress=progress)
    for upload in batch.uploads.all():
        upload.path.unlink(missing_ok=True)
    Upload.objects.filter(batch=batch).delete()
    return report


def batch_upload_allowed(*, batch: IngestBatch, filename: str) -> None:
    """A batch takes each file its good rows name, once, until its ingest has started."""
    if batch.job_id:
        raise Conflict(gettext("this batch's ingest has started; it takes no more files"))
    if filename not in batch.files:
        raise ServiceError(gettext("“%(file)s” is not a file this batch waits for") % {"file": filename}, field="file")
    if batch.uploads.filter(filename=filename, offset=F("length")).exists():
        raise Conflict(gettext("“%(file)s” has already arrived") % {"file": filename})
