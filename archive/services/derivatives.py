"""Deriving the access copy and waveform peaks from a master (run by a worker job)."""
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from ..audio.decode import readable
from ..audio.derive import make_access_copy, make_peaks
from ..models import PreservationEvent, Recording, RecordingFile
from .checksums import sha256_of
from .errors import ServiceError
from .events import event_log


@contextmanager
def local_copy(storage_name: str):
    """A local path for a stored file: the file itself on local storage, a temporary copy otherwise."""
    try:
        yield Path(default_storage.path(storage_name))
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=Path(storage_name).suffix) as tmp:
        with default_storage.open(storage_name, "rb") as src:
            shutil.copyfileobj(src, tmp, 1 << 20)
        tmp.flush()
        yield Path(tmp.name)


def storage_replace(name: str, data: bytes) -> str:
    """Store ``data`` under ``name``, replacing what was there (a rerun's output)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def recording_derive(*, recording: Recording, report=lambda p, m="": None) -> dict:
    """Make (or remake) the access copy and peaks. Idempotent: a rerun replaces them."""
    master = RecordingFile.objects.filter(recording=recording, role=RecordingFile.Role.MASTER).first()
    if master is None:
        raise ServiceError(gettext("the recording has no master to derive from"))
    results = {}
    with tempfile.TemporaryDirectory() as tmp, local_copy(master.storage_name) as stored, \
            readable(stored, master.container) as source:
        report(0.1, "making the access copy")
        access_path = Path(tmp) / "access.ogg"
        access = make_access_copy(source, access_path)
        report(0.7, "computing waveform peaks")
        peaks_path = Path(tmp) / "peaks.json"
        peaks = make_peaks(source, peaks_path)
        report(0.9, "storing derivatives")
        results["access"] = _store(recording, RecordingFile.Role.ACCESS, access_path, "access.ogg", access)
        results["peaks"] = _store(recording, RecordingFile.Role.PEAKS, peaks_path, "peaks.json", {"format": "json"})
    event_log(recording=recording, type=PreservationEvent.Type.DERIVATION,
              detail=f"access copy ogg/vorbis {access['sample_rate']} Hz {access['channels']} ch; "
                     f"{peaks['length']} waveform peaks; from master sha256 {master.sha256}")
    return results


def _store(recording, role, path: Path, filename: str, meta: dict) -> str:
    sha256, size = sha256_of(path)
    name = f"recordings/{recording.pk}/derived/{sha256[:16]}-{filename}"
    with open(path, "rb") as handle:
        stored = default_storage.save(name, File(handle, name=filename))
    with transaction.atomic():
        old = RecordingFile.objects.select_for_update().filter(recording=recording, role=role).first()
        RecordingFile.objects.update_or_create(
            recording=recording, role=role,
            defaults={"storage_name": stored, "sha256": sha256, "size": size, "container": meta.get("format", ""),
                      "codec": meta.get("codec", ""), "sample_rate": meta.get("sample_rate"),
                      "channels": meta.get("channels"), "duration": meta.get("duration")},
        )
    if old is not None and old.storage_name != stored and default_storage.exists(old.storage_name):
        default_storage.delete(old.storage_name)
    return stored
