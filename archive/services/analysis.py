"""Running the analysis of a recording's master and keeping its results (a worker job)."""
import io
import json
import time

import numpy as np
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..analysis import ANALYSER, VERSION
from ..audio.decode import readable
from ..models import Analysis, Recording, RecordingFile
from .derivatives import local_copy, storage_replace
from .errors import ServiceError


def analysis_current(recording: Recording) -> Analysis | None:
    """The finished analysis of the current analyser version, if any."""
    return recording.analyses.filter(analyser=ANALYSER, version=VERSION, status=Analysis.Status.OK).first()


def recording_analyse(*, recording: Recording, report=lambda p, m="": None) -> dict:
    """Analyse the master; idempotent for a version (a rerun replaces the row's results)."""
    # the pipeline (numpy, scipy, essentia) loads only where a recording is analysed: the worker
    from ..analysis.pipeline import AnalysisError, analyse_file

    master = RecordingFile.objects.filter(recording=recording, role=RecordingFile.Role.MASTER).first()
    if master is None:
        raise ServiceError(gettext("the recording has no audio to analyse"))
    row, _ = Analysis.objects.get_or_create(recording=recording, analyser=ANALYSER, version=VERSION)
    Analysis.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, status=Analysis.Status.QUEUED, error="")
    hand_tonic = recording.tonic_hz if recording.tonic_source == "hand" else None
    started = time.perf_counter()
    try:
        with local_copy(master.storage_name) as stored, readable(stored, master.container) as path:
            result = analyse_file(path, drone=recording.tradition.has_drone, tonic_hz=hand_tonic, progress=report)
    except AnalysisError as exc:
        Analysis.objects.filter(pk=row.pk).update(status=Analysis.Status.FAILED, error=str(exc), finished=timezone.now())
        raise ServiceError(str(exc)) from None
    report(0.95, "storing results")
    prefix = f"recordings/{recording.pk}/analysis/{ANALYSER}-{VERSION}"
    pitch_name = storage_replace(f"{prefix}/pitch.npz", _pitch_bytes(result.pitch))
    notes_name = storage_replace(f"{prefix}/notes.json", json.dumps([n.as_dict() for n in result.notes]).encode())
    summary = result.summary()
    tonic = result.tonic
    with transaction.atomic():
        Analysis.objects.filter(pk=row.pk).update(
            status=Analysis.Status.OK, error="", versions=result.versions, summary=summary,
            tonic_hz=tonic.hz if tonic else None, tonic_method=tonic.method if tonic else "",
            tonic_confidence=tonic.confidence if tonic else None, tempo_bpm=result.rhythm.tempo_bpm,
            pulse_confidence=result.rhythm.pulse_confidence, loudness_lufs=result.loudness["integrated_lufs"],
            features=[round(float(v), 6) for v in result.features], pitch_file=pitch_name, notes_file=notes_name,
            compute_seconds=round(time.perf_counter() - started, 3), finished=timezone.now(),
        )
        fields = {"tempo_bpm": result.rhythm.tempo_bpm, "duration_seconds": result.duration}
        if hand_tonic is None:
            fields.update(tonic_hz=tonic.hz if tonic else None, tonic_source="analysis" if tonic else "")
        Recording.objects.filter(pk=recording.pk).update(**fields)
    return {"analysis": str(row.pk), "tonic_hz": tonic.hz if tonic else None, "tempo_bpm": result.rhythm.tempo_bpm,
            "notes": len(result.notes), "version": VERSION}


def _pitch_bytes(track) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, hop=np.float32(0.01), hz=track.hz.astype(np.float32),
                        confidence=np.round(track.confidence * 255).astype(np.uint8))
    return buffer.getvalue()


def pitch_contour(analysis: Analysis, *, max_points: int = 4000) -> dict:
    """The stored contour, downsampled by taking every k-th frame, as JSON-ready lists."""
    with default_storage.open(analysis.pitch_file, "rb") as handle:
        data = np.load(io.BytesIO(handle.read()))
        hz, confidence, hop = data["hz"], data["confidence"], float(data["hop"])
    step = max(1, int(np.ceil(len(hz) / max_points)))
    idx = np.arange(0, len(hz), step)
    return {"hop": round(hop * step, 4), "times": [round(float(i * hop), 3) for i in idx],
            "hz": [round(float(v), 2) for v in hz[idx]], "confidence": [round(float(v) / 255, 3) for v in confidence[idx]]}


def analysis_notes(analysis: Analysis) -> list[dict]:
    with default_storage.open(analysis.notes_file, "rb") as handle:
        return json.loads(handle.read())


def recordings_needing_analysis(*, outdated_only: bool = True):
    """Recordings with a master whose analysis is missing, failed, or from another version."""
    with_master = Recording.objects.filter(files__role=RecordingFile.Role.MASTER).exclude(status=Recording.Status.WITHDRAWN)
    current = Analysis.objects.filter(analyser=ANALYSER, version=VERSION, status=Analysis.Status.OK).values("recording")
    if outdated_only:
        return with_master.exclude(pk__in=current).distinct()
    return with_master.distinct()
