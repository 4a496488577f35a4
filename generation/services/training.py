"""Starting a training run (the manifest is frozen when it is asked for) and running it on the
worker: read exactly the frozen notes, learn the tradition's pitch set, train, keep the files."""
import hashlib
import json
import statistics
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from archive.models import RecordingFile, Score, Tradition
from archive.selectors import attribution_texts, transcription_newest
from archive.services.analysis import analysis_current
from archive.services.derivatives import local_copy, storage_replace
from archive.services.errors import ServiceError
from archive.services.fixity import sha256_stored
from generation.ml import progress
from generation.ml.corpus import scored_piece, transcribed_piece
from generation.ml.fidelity import judge, model_fidelity
from generation.ml.metre import corpus_metre
from generation.ml.pitch_sets import corpus_shifts, shifted, tradition_pitch_set
from generation.ml.sampling import DEFAULT_DIFFICULTY, difficulty_levels, tradition_ends
from generation.ml.timbre import harmonic_amplitudes_read, mean_timbre
from generation.ml.train import train_style_model
from generation.ml.transformer_config import TransformerConfig
from music.pitch import midi_number
from music.scores import read_score
from worker.services import job_create

from ..models import ModelSource, StyleModel
from .consent import INHERITED_LABELS, trainable_recordings

VERSION = "1"


def style_model_create(*, user, tradition: Tradition) -> StyleModel:
    """Freeze the training set this user may see and send the training job."""
    if user is None or not user.is_authenticated:
        raise ServiceError(gettext("sign in to train a style model"))
    recordings = list(trainable_recordings(user=user, tradition=tradition).select_related("community"))
    sources = []
    for recording in recordings:
        analysis = analysis_current(recording)
        scores = [{"score": str(s.pk), "format": s.format, "file": s.storage_name, "sha256": s.sha256, "title": str(s)}
                  for s in Score.objects.filter(recording=recording)]
        if (analysis is None or not analysis.notes_file) and not scores:
            continue
        master = RecordingFile.objects.filter(recording=recording, role=RecordingFile.Role.MASTER).first()
        source = {
            "recording": str(recording.pk), "title": recording.title, "community": str(recording.community_id),
            "master_sha256": master.sha256 if master else None, "analysis": None, "analyser_version": None,
            "notes_file": None, "notes_sha256": None, "tonic_hz": recording.tonic_hz, "tempo_bpm": None, "pitch_set": [],
            "scores": scores, "labels": sorted(recording.labels.values_list("code", flat=True)),
        }
        if analysis is not None and analysis.notes_file:
            source.update(analysis=str(analysis.pk), analyser_version=analysis.version, notes_file=analysis.notes_file,
                          notes_sha256=sha256_stored(analysis.notes_file)[0], tonic_hz=recording.tonic_hz or analysis.tonic_hz,
                          tempo_bpm=analysis.tempo_bpm, pitch_set=analysis.summary.get("pitch_set", []),
                          transcription={"number": 0, "source": "automatic"})
            corrected = transcription_newest(recording)  # people's corrections win over the automatic notes
            if corrected is not None:
                source.update(notes_file=corrected.notes_file, notes_sha256=corrected.sha256,
                              transcription={"number": corrected.number, "source": "corrected", "sha256": corrected.sha256})
        sources.append(source)
    if not sources:
        raise ServiceError(gettext("no recordings of this tradition may be learned from: none is published, analysed and "
                                   "consented to training among those you may see"), field="tradition")
    by_community: dict[str, dict] = {}
    for recording in recordings:
        entry = by_community.setdefault(str(recording.community_id), {
            "community": str(recording.community_id), "name": recording.community.name, "attribution": []})
        for text in attribution_texts(recording=recording):
            if text not in entry["attribution"]:
                entry["attribution"].append(text)
    used = {s["recording"] for s in sources}
    labels = sorted({code for s in sources for code in s["labels"] if code in INHERITED_LABELS})
    with transaction.atomic():
        model = StyleModel.objects.create(
            tradition=tradition, created_by=user, labels=labels,
            credits=[c for c in by_community.values() if any(s["community"] == c["community"] for s in sources)],
            manifest={"recordings": sources, "frozen_at": timezone.now().isoformat(), "version": VERSION},
        )
        ModelSource.objects.bulk_create([
            ModelSource(model=model, recording_id=r.pk, recording_uuid=r.pk, community_id=r.community_id)
            for r in recordings if str(r.pk) in used
        ])
        if trainable_recordings(user=user, tradition=tradition).filter(pk__in=[r.pk for r in recordings
                                                                                 if str(r.pk) in used]).count() != len(used):
            raise ServiceError(gettext("a recording changed while the training set was frozen; try again"), field="tradition")
        model.job = job_create(kind="generation.train", target=model, user=user)
        model.save(update_fields=["job"])
    return model


def _tonic_midi(source: dict, scores: dict) -> float:
    """The recording's tonic (analysed or set by hand), else the final note of its first score."""
    if source.get("tonic_hz"):
        return float(midi_number(source["tonic_hz"]))
    for score in source.get("scores", []):
        pitched = [n.midi for n in scores[score["score"]] if n.midi is not None]
        if pitched:
            return pitched[-1]
    return 60.0


def _work_dir(model: StyleModel) -> Path:
    path = Path(settings.VAR_DIR) / "training" / str(model.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def style_model_train(*, model: StyleModel, report=lambda p, m="": None) -> dict:
    """Train on exactly the frozen manifest; a rerun after a crash resumes the transformer."""
    sources = model.manifest["recordings"]
    transcribed, scores = {}, {}  # each frozen file read once: checked, then parsed
    for source in sources:
        if source.get("notes_file"):
            data = _frozen(source["notes_file"], source["notes_sha256"], f"the notes of “{source['title']}”")
            transcribed[source["recording"]] = json.loads(data)
        for score in source.get("scores", []):
            data = _frozen(score["file"], score["sha256"], f"a score of “{source['title']}”")
            scores[score["score"]] = read_score(data, score["file"])[1]
    StyleModel.objects.filter(pk=model.pk, status=StyleModel.Status.QUEUED).update(status=StyleModel.Status.TRAINING)
    tonic_midi = {s["recording"]: _tonic_midi(s, scores) for s in sources}
    heard, moves = [s for s in sources if s["recording"] in transcribed], {}
    for index, shift in enumerate(corpus_shifts(heard)):  # a tonic read on another degree, turned to agree
        recording = heard[index]["recording"]
        before = transcribed[recording]
        heard[index], transcribed[recording] = shifted(heard[index], before, shift)
        if shift:  # the cents taken from its notes: a passage of it chosen later is read the same way
            moves[recording] = next((a["cents"] - b["cents"] for a, b in zip(before, transcribed[recording], strict=True)
                                    if a.get("cents") is not None), 0.0)
    pitch_set = tradition_pitch_set(heard, [(notes, tonic_midi[s["recording"]]) for s in sources
                                              for notes in (scores[x["score"]] for x in s.get("scores", []))])
    tempos = [s["tempo_bpm"] for s in sources if s.get("tempo_bpm")]
    analysed = [s for s in sources if s.get("notes_file")]
    pulse = len(tempos) * 2 > len(analysed) if analysed else True  # scores alone: metric notation, beats
    pieces = []
    for source in sources:
        if source["recording"] in transcribed:
            beat = 60.0 / (source.get("tempo_bpm") or statistics.median(tempos)) if pulse and tempos else None
            pieces.append(transcribed_piece(transcribed[source["recording"]], pitch_set, name=source["title"],
                                            beat_seconds=beat))
        for score in source.get("scores", []):
            seconds_per_quarter = None if pulse else 60.0 / (source.get("tempo_bpm") or 60.0)
            pieces.append(scored_piece(scores[score["score"]], pitch_set, tonic_midi=tonic_midi[source["recording"]],
                                       name=score["title"], seconds_per_quarter=seconds_per_quarter))
    work = _work_dir(model)
    config = TransformerConfig(**settings.STYLE_TRANSFORMER) if settings.STYLE_TRANSFORMER is not None else None
    levels, ends = difficulty_levels(pieces), tradition_ends(pieces)
    try:
        result = train_style_model(pieces, degrees=pitch_set.size, checkpoint=work / "transformer.pt",
                                   transformer=config, report=report,
                                   judge=judge(pitch_set=pitch_set, pulse=pulse, level=levels[DEFAULT_DIFFICULTY], ends=ends))
    except ValueError as exc:
        raise ServiceError(str(exc)) from None
    prefix = f"models/{model.pk}"
    corpus = {"pitch_set": list(pitch_set.cents), "vocab": [result.vocab.low, result.vocab.high], "degrees": pitch_set.size,
              "pulse": pulse, "pieces": [{"name": p.name, "tonic_step": p.meta.get("tonic_step", 0),
                                          "notes": [n.as_dict() for n in p.notes]} for p in pieces]}
    corpus_file = storage_replace(f"{prefix}/corpus.json", json.dumps(corpus).encode())
    checkpoint_file = ""
    if result.transformer is not None:
        checkpoint_file = storage_replace(f"{prefix}/transformer.pt", (work / "transformer.pt").read_bytes())
    import torch

    report(progress.TIMBRE, "measuring the timbre of the recordings")
    timbre = mean_timbre([_recording_timbre(recording, notes) for recording, notes in transcribed.items()])
    tonics = [s["tonic_hz"] for s in sources if s.get("tonic_hz")]
    tonic_hz = statistics.median(tonics) if tonics else 220.0
    fidelity = model_fidelity(predictor=result.held_out_predictor, vocab=result.vocab, pitch_set=pitch_set, pulse=pulse,
                              train=result.train, test=result.test, tonic_hz=tonic_hz, levels=levels, ends=ends)
    updated = StyleModel.objects.filter(pk=model.pk, status__in=[StyleModel.Status.QUEUED, StyleModel.Status.TRAINING]).update(
        status=StyleModel.Status.READY, chosen=result.chosen,
        metrics={**result.metrics, "fidelity": fidelity, "difficulty": levels, "ends": ends, "tonics_turned": len(moves),
                 "tonic_moves": moves,
                 "metre": corpus_metre(pieces) if pulse else None},
        pitch_set=list(pitch_set.cents), tonic_hz=tonic_hz, tempo_bpm=statistics.median(tempos) if tempos else None,
        pulse=pulse, timbre=timbre, corpus_file=corpus_file, checkpoint_file=checkpoint_file, trained_at=timezone.now(),
        versions={"model": VERSION, "torch": torch.__version__},
    )
    if not updated:  # retired while it trained: keep the files for audit, stay retired
        return {"retired": True}
    return {"model": str(model.pk), **result.metrics, "fidelity": fidelity}


def _frozen(name: str, sha256: str, what: str) -> bytes:
    """A file of the frozen training set, refused if it changed since the manifest was made."""
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ServiceError(gettext("%(what)s changed after the training set was frozen") % {"what": what})
    return data


def _recording_timbre(recording_id: str, notes: list[dict]) -> list[float] | None:
    """Harmonic amplitudes from the access copy (or the master), a window per transcribed note."""
    import soundfile as sf

    files = {f.role: f for f in RecordingFile.objects.filter(recording_id=recording_id)}
    stored = files.get(RecordingFile.Role.ACCESS) or files.get(RecordingFile.Role.MASTER)
    if stored is None:
        return None
    try:
        with local_copy(stored.storage_name) as path, sf.SoundFile(str(path)) as audio:
            def read(start, count):
                audio.seek(start)
                block = audio.read(count, dtype="float32", always_2d=True)
                return np.mean(block, axis=1)

            return harmonic_amplitudes_read(read, audio.frames, audio.samplerate, notes)
    except (sf.LibsndfileError, RuntimeError, OSError):
        return None  # a format libsndfile cannot seek in: the default timbre is used


