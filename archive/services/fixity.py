"""Fixity: re-reading stored masters (and their copies in the replica locations) and comparing
their checksums with the ones taken at ingest; a bad copy is mended from a good one (replicas.py)."""
import math
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from ..models import PreservationEvent, RecordingFile
from .checksums import stored_checksum
from .events import event_log
from .replicas import copies_check, file_repair


def sha256_stored(name: str) -> tuple[str, int]:
    """SHA-256 and size of a file in the primary storage, read in blocks."""
    return stored_checksum(default_storage, name)


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
    copies = copies_check(file=file)  # every replica too, and whatever is bad mended from what is good
    return file_repair(file=file, primary_ok=ok, copies=copies)


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


def fixity_summary() -> dict:
    """Masters whose last fixity check failed, for /healthz (shown on the steward dashboard too)."""
    failures = fixity_failures().count()
    return {"ok": failures == 0, "failures": failures}
