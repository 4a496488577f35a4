"""Attaching an audio file to a recording: checked by decoding, hashed, stored under an
id-based name, logged as PREMIS-style events, and handed to a worker for derivation.
A refused file leaves nothing behind: no stored file, no row, no job."""
import unicodedata
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from worker.services import job_create

from ..audio.probe import UnsupportedAudio, probe_audio
from ..models import PreservationEvent, Recording, RecordingFile
from ..policy import is_member
from ..selectors import replica_locations
from .checksums import sha256_mismatch, sha256_of
from .errors import Conflict, NotAllowed, ServiceError, StorageError
from .events import event_log


class _LocalFile(File):
    """A file already on local disk: FileSystemStorage moves it instead of copying."""

    def temporary_file_path(self):
        return self.name


def check_filename(name: str) -> str:
    """The uploader's file name, kept only as metadata; refuse names that try tricks."""
    if not name or len(name) > 255:
        raise ServiceError(gettext("the file name must be 1 to 255 characters"), field="file")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise ServiceError(gettext("the file name must not contain path separators"), field="file")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in name):
        raise ServiceError(gettext("the file name must not contain control or invisible characters"), field="file")
    return unicodedata.normalize("NFC", name)


def recording_attach_master(*, recording: Recording, path: Path, original_name: str, user,
                            sha256: str | None = None, size: int | None = None,
                            expected_sha256: str | None = None, move: bool = True,
                            origin: str = "") -> tuple[RecordingFile, object]:
    """Check, store and register an uploaded master. Returns (file row, derivation job).

    ``path`` is a temporary file the caller owns; it is moved into storage on success
    (copied instead with ``move=False``, for bulk ingest from a folder the operator keeps).
    ``sha256``/``size`` are passed when they were computed while the upload was written.
    ``origin`` says where the file came from when not from the person's own computer (a harvest's
    source URL); it goes into the ingestion event.
    """
    if not is_member(user=user, community_id=recording.community_id):
        raise NotAllowed(gettext("only members of the recording's community may add its audio"))
    name = check_filename(original_name)
    if sha256 is None or size is None:
        sha256, size = sha256_of(path)
    mismatch = sha256_mismatch(sha256, expected_sha256)
    if mismatch:
        raise ServiceError(mismatch, field="sha256")
    try:
        info = probe_audio(path)
    except UnsupportedAudio as exc:  # said with the file's own name, never where the server keeps it
        raise ServiceError(str(exc).replace(str(path), name), field="file") from None
    storage_name = f"recordings/{recording.pk}/master-{sha256[:16]}.{info.extension}"

    stored = None
    try:
        with transaction.atomic():
            locked = Recording.objects.select_for_update().get(pk=recording.pk)
            if RecordingFile.objects.filter(recording=locked, role=RecordingFile.Role.MASTER).exists():
                raise Conflict(gettext("this recording already has its preservation master"), field="file")
            with open(path, "rb") as handle:
                content = _LocalFile(handle, name=str(path)) if move else File(handle, name=Path(path).name)
                try:
                    stored = default_storage.save(storage_name, content)
                except OSError as exc:  # disk full, quota, file-size limit: remove what was half-written
                    if default_storage.exists(storage_name):
                        default_storage.delete(storage_name)
                    raise StorageError(gettext("the archive could not store the file (%(reason)s); nothing was kept, "
                                               "try again later") % {"reason": exc.strerror or exc}) from None
            row = RecordingFile.objects.create(
                recording=locked, role=RecordingFile.Role.MASTER, storage_name=stored, sha256=sha256, size=size,
                original_name=name, container=info.container, codec=info.codec, sample_rate=info.sample_rate,
                channels=info.channels, bit_depth=info.bit_depth, duration=info.duration,
                technical={"frames": info.frames, **info.broadcast}, uploaded_by=user,
            )
            locked.duration_seconds = info.duration
            locked._history_user = user
            locked.save(update_fields=["duration_seconds", "modified"])
            event_log(recording=locked, type=PreservationEvent.Type.INGESTION, user=user,
                      detail=f"{name} ({size} bytes) stored as {stored}" + (f"; {origin}" if origin else ""))
            event_log(recording=locked, type=PreservationEvent.Type.MESSAGE_DIGEST, user=user, detail=f"sha256 {sha256}")
            event_log(recording=locked, type=PreservationEvent.Type.FORMAT_IDENTIFICATION, user=user,
                      detail=f"{info.container}/{info.codec}, {info.sample_rate} Hz, {info.channels} ch, "
                             f"{info.bit_depth or '-'} bit, {info.duration:.3f} s (decoded in full)")
            job = job_create(kind="recording.derive", target=locked, user=user)
            job.analysis_job = job_create(kind="recording.analyse", target=locked, user=user)
            if replica_locations():  # acknowledged once the primary holds it whole; copied by a worker
                job_create(kind="preservation.replicate", target=locked, user=user)
    except BaseException:
        if stored and default_storage.exists(stored):
            default_storage.delete(stored)
        raise
    return row, job
