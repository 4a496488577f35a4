"""Fixity: re-reading stored masters and comparing their checksums with the ones taken at ingest."""
import math
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from ..models import PreservationEvent, RecordingFile
from .events import event_log
from .ingest import HASH_BLOCK


def sha256_stored(name: str) -> tuple[str, int]:
    """SHA-256 and size of a stored file, read in blocks."""
    import hashlib

    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as f:
        while chunk := f.read(HASH_BLOCK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def file_check_fixity(*, file: RecordingFile) -> bool:
    """Recompute the checksum, record a pass or fail event, and remember the outcome on the row."""
    try:
        sha256, size = sha256_stored(file.storage_name)
        ok = sha256 == file.sha256 and size == file.size
        detail = (f"sha256 {sha256} matches" if ok else
                  f"sha256 {sha256} ({size} bytes) differs from {file.sha256} ({file.size} bytes) recorded at ingest")
    except (FileNotFoundError, OSError) as exc:
        ok, detail = False, f"the stored file {file.storage_name} cannot be read: {exc.__class__.__name__}"
    event_log(recording=file.recording, type=PreservationEvent.Type.FIXITY_CHECK,
              outcome=PreservationEvent.Outcome.SUCCESS if ok else PreservationEvent.Outcome.FAILURE,
              detail=f"{file.role}: {detail}")
    RecordingFile.objects.filter(pk=file.pk).update(fixity_checked_at=timezone.now(), fixity_ok=ok)
    return ok


def fixity_due(*, everything: bool = False):
    masters = RecordingFile.objects.filter(role=RecordingFile.Role.MASTER).select_related("recording")
    if everything:
        return masters.order_by("fixity_checked_at")
    cutoff = timezone.now() - timedelta(days=settings.FIXITY_INTERVAL_DAYS)
    return masters.filter(Q(fixity_checked_at__isnull=True) | Q(fixity_checked_at__lt=cutoff)).order_by(
        "fixity_checked_at", "created")


def fixity_run(*, everything: bool = False, spread: bool = False) -> dict:
    """Check what is due (or everything). With ``spread``, only a day's share of the whole
    collection, so that each day's load is even over the interval."""
    due = fixity_due(everything=everything)
    if spread:
        total = RecordingFile.objects.filter(role=RecordingFile.Role.MASTER).count()
        due = due[: max(1, math.ceil(total / settings.FIXITY_INTERVAL_DAYS))]
    checked = failed = 0
    for file in due:
        checked += 1
        failed += 0 if file_check_fixity(file=file) else 1
    return {"checked": checked, "failed": failed}


def fixity_failures():
    return RecordingFile.objects.filter(fixity_ok=False).select_related("recording")
