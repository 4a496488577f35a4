"""Replicas: every stored file of a recording is copied to each location in
settings.STORAGE_REPLICAS, under the same name, its checksum taken as it is written and recorded
(FileCopy). A copy is made only from a source whose checksum matches the one taken at ingest, so a
damaged file is never spread; fixity (fixity.py) checks every copy and mends a bad one from a good one."""
import hashlib
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.utils import timezone

from ..models import FileCopy, PreservationEvent, RecordingFile
from ..selectors import files_under_replicated, replica_locations
from .checksums import HASH_BLOCK, stored_checksum
from .events import event_log


class ReplicationError(Exception):
    """No good source to copy from, or a location that would not take the file."""


def replica_storage(location: str):
    return storages[f"replica:{location}"]


def copy_checked(source, target, name: str, *, sha256: str, size: int) -> None:
    """Copy ``name`` from one storage to another, only if the source's bytes are the ones taken at
    ingest (read once, hashed while staged); whatever the target held under that name is replaced."""
    digest, read = hashlib.sha256(), 0
    with tempfile.TemporaryFile() as staged:
        with source.open(name, "rb") as handle:
            while block := handle.read(HASH_BLOCK):
                digest.update(block)
                read += len(block)
                staged.write(block)
        if digest.hexdigest() != sha256 or read != size:
            raise ReplicationError(f"{name}: the source no longer matches the checksum taken at ingest")
        staged.seek(0)
        if target.exists(name):
            target.delete(name)
        saved = target.save(name, File(staged, name=name))
    if saved != name:
        raise ReplicationError(f"{name}: the location stored it as {saved}")


def file_replicate(*, file: RecordingFile) -> list[str]:
    """Write the file to every location that lacks a good copy of it; returns where it was written."""
    good = set(file.copies.filter(ok=True).values_list("location", flat=True))
    written = []
    for location in [loc for loc in replica_locations() if loc not in good]:
        copy_checked(default_storage, replica_storage(location), file.storage_name, sha256=file.sha256, size=file.size)
        now = timezone.now()
        FileCopy.objects.update_or_create(file=file, location=location, defaults={
            "sha256": file.sha256, "size": file.size, "stored_at": now, "checked_at": now, "ok": True})
        written.append(location)
    if written:
        event_log(recording=file.recording, type=PreservationEvent.Type.REPLICATION,
                  detail=f"{file.role}: copied to {', '.join(written)}, sha256 {file.sha256} verified")
    return written


def replicate_missing(*, limit: int = 500, recording=None) -> dict:
    """Make the missing copies (of one recording's files, or of any); a file that cannot be copied
    now is left for the next run and counted."""
    files = files_under_replicated(RecordingFile.objects.filter(recording=recording) if recording else None)
    done = failed = 0
    for file in files.order_by("created")[:limit]:
        try:
            file_replicate(file=file)
            done += 1
        except (ReplicationError, OSError) as exc:
            failed += 1
            event_log(recording=file.recording, type=PreservationEvent.Type.REPLICATION,
                      outcome=PreservationEvent.Outcome.FAILURE, detail=f"{file.role}: {exc}")
    return {"replicated": done, "failed": failed}


def copies_check(*, file: RecordingFile) -> dict[str, bool]:
    """Re-read every replica's copy of the file and record whether it still matches; a copy that
    cannot be read counts as bad. A copy recorded at a location no longer configured (a retired
    bucket, a site lost and restored without it) is left alone: it can be neither read nor mended
    from here. Returns location → ok."""
    outcome = {}
    for copy in file.copies.filter(location__in=replica_locations()):
        try:
            sha256, size = stored_checksum(replica_storage(copy.location), file.storage_name)
            ok = sha256 == file.sha256 and size == file.size
        except OSError:  # gone or unreadable
            ok = False
        FileCopy.objects.filter(pk=copy.pk).update(ok=ok, checked_at=timezone.now())
        outcome[copy.location] = ok
        if not ok:
            event_log(recording=file.recording, type=PreservationEvent.Type.FIXITY_CHECK,
                      outcome=PreservationEvent.Outcome.FAILURE,
                      detail=f"{file.role}: the copy at {copy.location} no longer matches sha256 {file.sha256}")
    return outcome


def file_repair(*, file: RecordingFile, primary_ok: bool, copies: dict[str, bool]) -> bool:
    """Mend every bad copy (the primary included) from a good one; with no good copy left nothing is
    overwritten and the failure is recorded. Returns whether the primary is good afterwards."""
    sources = ([("primary", default_storage)] if primary_ok else []) + [
        (location, replica_storage(location)) for location, ok in copies.items() if ok]
    bad = ([] if primary_ok else ["primary"]) + [location for location, ok in copies.items() if not ok]
    if not bad:
        return primary_ok
    if not sources:
        event_log(recording=file.recording, type=PreservationEvent.Type.REPAIR, outcome=PreservationEvent.Outcome.FAILURE,
                  detail=f"{file.role}: no copy matches sha256 {file.sha256} any more; nothing was overwritten")
        return False
    source_name, source = sources[0]
    for location in bad:
        target = default_storage if location == "primary" else replica_storage(location)
        try:
            copy_checked(source, target, file.storage_name, sha256=file.sha256, size=file.size)
        except (ReplicationError, OSError) as exc:
            event_log(recording=file.recording, type=PreservationEvent.Type.REPAIR,
                      outcome=PreservationEvent.Outcome.FAILURE, detail=f"{file.role}: {location}: {exc}")
            continue
        now = timezone.now()
        if location == "primary":
            RecordingFile.objects.filter(pk=file.pk).update(fixity_ok=True, fixity_checked_at=now)
            primary_ok = True
        else:
            FileCopy.objects.filter(file=file, location=location).update(ok=True, checked_at=now, stored_at=now)
        event_log(recording=file.recording, type=PreservationEvent.Type.REPAIR,
                  detail=f"{file.role}: the copy at {location} restored from {source_name}, sha256 {file.sha256} verified")
    return primary_ok
