"""Resumable uploads (tus 1.0.0): create, append at an offset, finish by attaching the
file exactly as a multipart upload would (or, for a bulk ingest's batch, by keeping it for the
batch's job), or terminate. The file's size on disk is the
offset, so an upload cut at any byte resumes from the byte after the last one that arrived."""
import base64
import binascii
import fcntl
import hashlib
import os
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from ..models import IngestBatch, Upload
from ..policy import is_member
from .checksums import sha256_mismatch, sha256_of
from .errors import Conflict, NotAllowed, ServiceError
from .ingest import check_filename, recording_attach_master
from .ingest_batches import batch_upload_allowed

BLOCK = 1 << 20


class ChecksumMismatch(ServiceError):
    status = 460
    code = "checksum_mismatch"


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


def parse_metadata(header: str) -> dict:
    """Upload-Metadata: comma-separated "key base64value" pairs."""
    out = {}
    for pair in filter(None, (p.strip() for p in (header or "").split(","))):
        key, _, value = pair.partition(" ")
        try:
            out[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise ServiceError(gettext("Upload-Metadata value of '%(key)s' is not base64 UTF-8") % {"key": key}) from None
    return out


def upload_create(*, recording, user, length: int, metadata: dict) -> Upload:
    if not is_member(user=user, community_id=recording.community_id):
        raise NotAllowed(gettext("only members of the recording's community may add its audio"))
    return _create(user=user, length=length, metadata=metadata, recording=recording)


def batch_upload_create(*, batch, user, length: int, metadata: dict) -> Upload:
    """One of the files a bulk ingest from the browser waits for (ingest_batches.py); an earlier
    unfinished upload of the same file, whose address the browser lost, is dropped."""
    filename = check_filename(metadata.get("filename") or "")
    batch_upload_allowed(batch=batch, filename=filename)
    for earlier in Upload.objects.filter(batch=batch, filename=filename):
        upload_terminate(upload=earlier)
    return _create(user=user, length=length, metadata=metadata, batch=batch)


def _create(*, user, length: int, metadata: dict, **target) -> Upload:
    if length < 0:
        raise ServiceError(gettext("Upload-Length must be a non-negative integer"))
    if length == 0:
        raise ServiceError(gettext("the file is empty: choose the recording's audio file"), field="file")
    if length > settings.MAX_UPLOAD_BYTES:
        raise TooLarge(gettext("the file is larger than this archive accepts (%(limit)s bytes)")
                       % {"limit": settings.MAX_UPLOAD_BYTES})
    filename = check_filename(metadata.get("filename") or "upload")
    upload = Upload.objects.create(user=user, filename=filename, length=length, metadata=metadata, **target)
    settings.TUS_UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    upload.path.touch()
    return upload


def current_offset(upload: Upload) -> int:
    try:
        return os.path.getsize(upload.path)
    except FileNotFoundError:
        return 0


@contextmanager
def _exclusive(upload: Upload):
    with open(upload.path, "ab") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict(gettext("another PATCH to this upload is in progress")) from None
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upload_append(*, upload: Upload, offset: int, stream, content_length: int | None, checksum: str | None):
    """Append the request body at ``offset``. Without a checksum every byte that arrives is kept
    (so an interrupted PATCH resumes after it); with one, the chunk is kept only if it matches."""
    with _exclusive(upload) as handle:
        on_disk = current_offset(upload)
        if offset != on_disk:
            raise Conflict(gettext("Upload-Offset is %(offset)s but the upload is at %(on_disk)s")
                           % {"offset": offset, "on_disk": on_disk})
        room = upload.length - on_disk
        if content_length is not None and content_length > room:
            raise TooLarge(gettext("the chunk would pass the declared Upload-Length by %(excess)s bytes")
                           % {"excess": content_length - room})
        expected = _parse_checksum(checksum) if checksum else None
        if expected is None:
            written = _copy(stream, handle, room)
        else:
            staged = upload.path.with_suffix(".chunk")
            with open(staged, "wb") as part:
                written = _copy(stream, part, room)
            digest = hashlib.sha256(staged.read_bytes()).digest()
            if digest != expected:
                staged.unlink()
                raise ChecksumMismatch(gettext("the chunk's sha256 does not match Upload-Checksum"))
            with open(staged, "rb") as part:
                while block := part.read(BLOCK):
                    handle.write(block)
            staged.unlink()
        handle.flush()
        os.fsync(handle.fileno())
    upload.offset = on_disk + written
    Upload.objects.filter(pk=upload.pk).update(offset=upload.offset)
    return upload.offset


def _copy(stream, handle, limit: int) -> int:
    written = 0
    while written < limit:
        try:
            block = stream.read(min(BLOCK, limit - written))
        except OSError:  # the client went away; what arrived is kept
            break
        if not block:
            break
        handle.write(block)
        written += len(block)
    return written


def _parse_checksum(header: str) -> bytes:
    algorithm, _, value = header.strip().partition(" ")
    if algorithm.lower() != "sha256":
        raise ServiceError(gettext("Upload-Checksum algorithm must be sha256"))
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ServiceError(gettext("Upload-Checksum value is not base64")) from None


def upload_finish(*, upload: Upload):
    """The last byte arrived: attach exactly as /upload/ would. A refused file is removed with its row."""
    try:
        row, job = recording_attach_master(recording=upload.recording, path=upload.path, original_name=upload.filename,
                                           user=upload.user, expected_sha256=upload.metadata.get("sha256") or None)
    except ServiceError:
        upload_terminate(upload=upload)
        raise
    Upload.objects.filter(pk=upload.pk).delete()
    return row, job


def batch_upload_finish(*, upload: Upload) -> str:
    """The last byte of a batch's file arrived: it waits, checked, for the batch's ingest. Returns its sha256."""
    sha256, _size = sha256_of(upload.path)
    mismatch = sha256_mismatch(sha256, upload.metadata.get("sha256"))
    if mismatch:
        upload_terminate(upload=upload)
        raise ChecksumMismatch(mismatch)
    return sha256


def upload_terminate(*, upload: Upload) -> None:
    for path in (upload.path, upload.path.with_suffix(".chunk")):
        path.unlink(missing_ok=True)
    Upload.objects.filter(pk=upload.pk).delete()


def uploads_sweep_abandoned(*, older_than: timedelta | None = None) -> int:
    """Remove uploads nobody has added to for UPLOAD_ABANDONED_AFTER_DAYS, and the batches never
    started that they belonged to (a batch whose ingest has started is its job's to clean up).
    Returns how many uploads went."""
    cutoff = timezone.now() - (older_than or timedelta(days=settings.UPLOAD_ABANDONED_AFTER_DAYS))
    gone = 0
    for upload in Upload.objects.filter(modified__lt=cutoff).exclude(batch__job_id__isnull=False):
        upload_terminate(upload=upload)
        gone += 1
    IngestBatch.objects.filter(created__lt=cutoff, job_id__isnull=True, uploads__isnull=True).delete()
    return gone
