"""Bulk ingest: a CSV manifest, one row per audio file. Each row is checked on its own: a bad row
is reported with its line number and skipped; a file already in the archive is not added twice.
The files come from a folder (`manage.py ingest`, the web drop folder) or from the browser
(ingest_batches.py); the rows go through this one path either way."""
import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError

from worker.services import job_create

from ..exports.manifest import COLUMNS, row_to_input
from ..models import Membership, RecordingFile
from .checksums import sha256_of
from .errors import ServiceError
from .ingest import recording_attach_master
from .recordings import recording_create


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    already: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"added": len(self.added), "already_present": len(self.already),
                "errors": [{"line": line, "reason": reason} for line, reason in self.errors],
                "recordings": self.added}


def manifest_rows(text: str) -> list[tuple[int, dict]]:
    """The manifest's rows with their line numbers; a missing or unknown column refuses the whole file."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    unknown = [c for c in (reader.fieldnames or []) if c not in COLUMNS]
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise ServiceError(gettext("the manifest needs a header row with at least: file, title, tradition, community"))
    if unknown:
        raise ServiceError(gettext("unknown manifest columns: %(columns)s") % {"columns": ", ".join(unknown)})
    return [(reader.line_num, row) for row in reader]


def read_manifest(path: Path) -> list[tuple[int, dict]]:
    return manifest_rows(Path(path).read_text(encoding="utf-8-sig"))


def ingest_rows(rows: list[tuple[int, dict]], *, file_for: Callable[[str], Path], user=None,
                progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """Ingest each row with the file ``file_for`` finds for its name (raising ServiceError when none)."""
    report = IngestReport()
    for done, (line, row) in enumerate(rows, start=1):
        try:
            outcome = _ingest_row(file_for((row.get("file") or "").strip()), row, user)
        except (ServiceError, ValidationError) as exc:
            report.errors.append((line, reason(exc)))
        else:
            (report.added.append(outcome[1]) if outcome[0] == "added" else report.already.append((line, outcome[1])))
        if progress:
            progress(done, len(rows))
    return report


def ingest_manifest(*, directory: Path, manifest: Path, user=None,
                    progress: Callable[[int, int], None] | None = None) -> IngestReport:
    directory = Path(directory).resolve()

    def in_folder(name: str) -> Path:
        path = (directory / name).resolve()
        if directory not in path.parents:
            raise ServiceError(gettext("the file must lie inside the ingest folder"), field="file")
        if not path.is_file():
            raise ServiceError(gettext("no file '%(file)s' in the ingest folder") % {"file": name}, field="file")
        return path

    return ingest_rows(read_manifest(Path(manifest)), file_for=in_folder, user=user, progress=progress)


def row_data(row: dict) -> dict:
    """A row as validated recording data (the API's own validation); raises on a bad row."""
    # a row is checked by the API's own input contract; imported here, so services load without the API
    from ..api.serializers.recordings import RecordingInput

    raw, problems = row_to_input(row)
    if problems:
        raise ServiceError("; ".join(problems))
    body = RecordingInput(data=raw)
    body.is_valid(raise_exception=True)
    return body.validated_data


class _DryRun(Exception):
    pass


def row_problem(row: dict, user) -> str | None:
    """What would stop this row's recording being made, found by making it in a transaction that
    is rolled back: the same checks as the ingest itself, and nothing is kept. None: it would go in."""
    try:
        data = row_data(row)
        with transaction.atomic():
            recording_create(data=data, user=user or _a_steward(data["community"]))
            raise _DryRun
    except _DryRun:
        return None
    except (ServiceError, ValidationError) as exc:
        return reason(exc)


def _ingest_row(path: Path, row: dict, user):
    data = row_data(row)
    sha256, size = sha256_of(path)
    existing = RecordingFile.objects.filter(role=RecordingFile.Role.MASTER, sha256=sha256,
                                            recording__community=data["community"]).first()
    if existing is not None:
        return "already", str(existing.recording_id)
    actor = user or _a_steward(data["community"])
    with transaction.atomic():
        recording = recording_create(data=data, user=actor)
        recording_attach_master(recording=recording, path=path, original_name=path.name, user=actor,
                                sha256=sha256, size=size, move=False)
    return "added", str(recording.pk)


def _a_steward(community):
    membership = Membership.objects.filter(community=community, role=Membership.Role.STEWARD).order_by("created").first()
    if membership is None:
        raise ServiceError(gettext("%(community)s has no steward to ingest on behalf of; pass --user")
                           % {"community": community.name})
    return membership.user


def reason(exc: ServiceError | ValidationError) -> str:
    """A refused row's reason, as the report gives it."""
    if isinstance(exc, ValidationError):
        return _validation_text(exc.detail)
    return f"{exc.field}: {exc.message}" if exc.field else exc.message


def _validation_text(detail, prefix="") -> str:
    if isinstance(detail, dict):
        return "; ".join(_validation_text(v, f"{prefix}{k}: " if not prefix else f"{prefix}{k}.") for k, v in detail.items())
    if isinstance(detail, list):
        return "; ".join(_validation_text(v, prefix) for v in detail)
    return f"{prefix}{detail}"


def manifest_ingest_start(*, upload, user):
    """Keep an uploaded manifest and queue its ingest as a job (the message goes out on commit)."""
    with transaction.atomic():
        name = default_storage.save(f"ingest/manifests/{uuid.uuid4()}.csv", upload)
        return job_create(kind="ingest.manifest", params={"manifest": name, "filename": upload.name[:200]}, user=user)
