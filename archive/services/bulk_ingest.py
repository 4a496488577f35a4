"""Bulk ingest from a folder and a CSV manifest: each row is checked on its own; a bad row
is reported with its line number and skipped; a file already in the archive is not added twice."""
import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError

from ..exports.manifest import COLUMNS, row_to_input
from ..models import Membership, RecordingFile
from .errors import ServiceError
from .ingest import recording_attach_master, sha256_of
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


def read_manifest(path: Path) -> list[tuple[int, dict]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        unknown = [c for c in (reader.fieldnames or []) if c not in COLUMNS]
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise ServiceError(gettext("the manifest needs a header row with at least: file, title, tradition, community"))
        if unknown:
            raise ServiceError(gettext("unknown manifest columns: %(columns)s") % {"columns": ", ".join(unknown)})
        return [(reader.line_num, row) for row in reader]


def ingest_manifest(*, directory: Path, manifest: Path, user=None,
                    progress: Callable[[int, int], None] | None = None) -> IngestReport:
    directory = Path(directory).resolve()
    rows = read_manifest(Path(manifest))
    report = IngestReport()
    for done, (line, row) in enumerate(rows, start=1):
        try:
            outcome = _ingest_row(directory, row, user)
        except ServiceError as exc:
            report.errors.append((line, f"{exc.field}: {exc.message}" if exc.field else exc.message))
        except ValidationError as exc:
            report.errors.append((line, _validation_text(exc.detail)))
        else:
            (report.added.append(outcome[1]) if outcome[0] == "added" else report.already.append((line, outcome[1])))
        if progress:
            progress(done, len(rows))
    return report


def _ingest_row(directory: Path, row: dict, user):
    from ..api.serializers.recordings import RecordingInput

    path = (directory / (row.get("file") or "").strip()).resolve()
    if directory not in path.parents:
        raise ServiceError(gettext("the file must lie inside the ingest folder"), field="file")
    if not path.is_file():
        raise ServiceError(gettext("no file '%(file)s' in the ingest folder") % {"file": row.get("file")}, field="file")
    raw, problems = row_to_input(row)
    if problems:
        raise ServiceError("; ".join(problems))
    body = RecordingInput(data=raw)
    body.is_valid(raise_exception=True)
    data = body.validated_data
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


def _validation_text(detail, prefix="") -> str:
    if isinstance(detail, dict):
        return "; ".join(_validation_text(v, f"{prefix}{k}: " if not prefix else f"{prefix}{k}.") for k, v in detail.items())
    if isinstance(detail, list):
        return "; ".join(_validation_text(v, prefix) for v in detail)
    return f"{prefix}{detail}"


def manifest_ingest_start(*, upload, user):
    """Keep an uploaded manifest and queue its ingest as a job (the message goes out on commit)."""
    import uuid

    from django.core.files.storage import default_storage

    from worker.services import job_create

    with transaction.atomic():
        name = default_storage.save(f"ingest/manifests/{uuid.uuid4()}.csv", upload)
        return job_create(kind="ingest.manifest", params={"manifest": name, "filename": upload.name[:200]}, user=user)
