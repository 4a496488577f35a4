"""Generating study examples from a ready model: sample under the constraints, render each
as MusicXML, SVG, MIDI and audio, and record where it came from."""
import json
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from archive.services.errors import Conflict, ServiceError
from generation.ml import render
from generation.ml.markov import MarkovModel
from generation.ml.metre import bar_quarters
from generation.ml.sampling import (
    DEFAULT_DIFFICULTY,
    DEFAULT_TEMPERATURE,
    DIFFICULTY,
    TRADITION_ENDS,
    Constraints,
    Unsatisfiable,
    sample,
)
from generation.ml.tokens import Note, Piece, PitchSet, Vocabulary, encode_piece
from music.notation import notation_from
from music.pitch import midi_number, scale_letters
from worker.services import job_create

from ..models import StudyExample, StyleModel
from .training import VERSION

MAX_EXAMPLES = 20
AS_TRADITION = "tradition"  # a start or end degree not asked for: where the tradition's pieces begin and end
MAX_NOTES = 256
MAX_BARS = 64
FILE_NAMES = {"musicxml": "musicxml", "svg": "svg", "midi": "mid", "audio": "wav", "ogg": "ogg"}


@dataclass
class Request:
    """What an educator asked for, checked."""

    count: int = 1
    length_notes: int = 16
    length_bars: int | None = None  # a metered tradition's examples may be asked for in bars instead
    tempo: float | None = None
    range_cents: tuple[float, float] | None = None
    difficulty: str = DEFAULT_DIFFICULTY
    start_degree: int | str | None = AS_TRADITION  # None: any degree
    end_degree: int | str | None = AS_TRADITION
    seed: int = 0
    temperature: float = DEFAULT_TEMPERATURE

    @classmethod
    def from_params(cls, params: dict) -> "Request":
        """The inverse of ``as_dict``: a job's params, or the API's validated body (same names)."""
        return cls(count=params["count"], length_notes=params["length_notes"], length_bars=params.get("length_bars"),
                   tempo=params.get("tempo"),
                   range_cents=tuple(params["range"]) if params.get("range") else None,
                   difficulty=params["difficulty"], start_degree=params.get("start_degree", AS_TRADITION),
                   end_degree=params.get("end_degree", AS_TRADITION), seed=params["seed"], temperature=params["temperature"])

    def as_dict(self) -> dict:
        return {"count": self.count, "length_notes": self.length_notes, "length_bars": self.length_bars, "tempo": self.tempo,
                "range": list(self.range_cents) if self.range_cents else None, "difficulty": self.difficulty,
                "start_degree": self.start_degree, "end_degree": self.end_degree, "seed": self.seed,
                "temperature": self.temperature}


def generation_start(*, model: StyleModel, user, request: Request):
    if model.status != StyleModel.Status.READY:
        raise Conflict(gettext("this model is %(status)s: only a ready model generates examples") % {"status": model.status})
    constraints_for(model, request, index=0)  # refuse what cannot be met before queueing anything
    with transaction.atomic():
        return job_create(kind="generation.generate", target=model, params=request.as_dict(), user=user)


def constraints_for(model: StyleModel, request: Request, *, index: int) -> Constraints:
    pitch_set = PitchSet(tuple(model.pitch_set))
    size = pitch_set.size
    ends = model_ends(model)
    start, end = (ends[name] if asked == AS_TRADITION else asked
                  for name, asked in (("start_degree", request.start_degree), ("end_degree", request.end_degree)))
    for name, degree in (("start_degree", start), ("end_degree", end)):
        if degree is not None and not 0 <= degree < size:
            raise ServiceError(gettext("the pitch set has degrees 0 to %(last)s") % {"last": size - 1}, field=name)
    low = high = None
    if request.range_cents:
        lo_cents, hi_cents = request.range_cents
        if hi_cents - lo_cents < 100:
            raise ServiceError(gettext("the range must span at least 100 cents"), field="range")
        low = _step_at_or_above(pitch_set, lo_cents)
        high = _step_at_or_below(pitch_set, hi_cents)
    levels = model.metrics.get("difficulty") or DIFFICULTY
    level = levels.get(request.difficulty, DIFFICULTY[request.difficulty])
    length_notes, length_beats = request.length_notes, None
    if request.length_bars:
        if not model.pulse:
            raise ServiceError(gettext("this tradition's music has no bars (free rhythm): give the length in notes"),
                               field="length_bars")
        length_beats = request.length_bars * bar_quarters(model.metre)
        typical = max(level["min_duration"] or 0.0, (levels.get("easy") or {}).get("min_duration") or 1.0)
        length_notes = max(2, min(MAX_NOTES, round(length_beats / typical)))
    return Constraints(length_notes=length_notes, length_beats=length_beats, low_step=low, high_step=high,
                       start_degree=start, end_degree=end, max_leap=level["max_leap"],
                       min_duration=level["min_duration"] if model.pulse else None,
                       temperature=request.temperature, seed=request.seed + index)


def model_ends(model: StyleModel) -> dict:
    """Where this model's examples begin and end unless asked otherwise (sampling.tradition_ends)."""
    return model.metrics.get("ends") or TRADITION_ENDS


def _step_at_or_above(pitch_set: PitchSet, cents: float) -> int:
    step, _ = pitch_set.locate(cents)
    return step if pitch_set.cents_of(step) >= cents - 1e-6 else step + 1


def _step_at_or_below(pitch_set: PitchSet, cents: float) -> int:
    step, _ = pitch_set.locate(cents)
    return step if pitch_set.cents_of(step) <= cents + 1e-6 else step - 1


def model_predictor(model: StyleModel):
    with default_storage.open(model.corpus_file, "rb") as handle:
        corpus = json.loads(handle.read())
    vocab = Vocabulary(*corpus["vocab"])
    if model.chosen == "transformer" and model.checkpoint_file:
        # torch only here, on the worker that generates: the web process imports this module too
        from generation.ml.transformer import TransformerPredictor, load_transformer

        with TemporaryDirectory() as tmp, default_storage.open(model.checkpoint_file, "rb") as handle:
            path = Path(tmp) / "transformer.pt"
            path.write_bytes(handle.read())
            return vocab, TransformerPredictor(load_transformer(path))
    pieces = [Piece([Note(**n) for n in p["notes"]], meta={"tonic_step": p["tonic_step"]}) for p in corpus["pieces"]]
    markov = MarkovModel(vocab, corpus["degrees"]).fit([(*encode_piece(p, vocab), p.meta["tonic_step"]) for p in pieces])
    return vocab, markov.for_generation()


def examples_generate(*, model: StyleModel, job, report=lambda p, m="": None) -> dict:
    """Make the job's examples; a redelivered job keeps the ones already made."""
    if model.status != StyleModel.Status.READY:
        raise ServiceError(gettext("this model is %(status)s: only a ready model generates examples") % {"status": model.status})
    request = Request.from_params(job.params)
    vocab, predictor = model_predictor(model)
    pitch_set = PitchSet(tuple(model.pitch_set))
    tempo = request.tempo or model.tempo_bpm or 72.0

    def make(index: int) -> StudyExample:
        try:
            notes = sample(predictor, vocab, pitch_set.size, constraints_for(model, request, index=index))
        except Unsatisfiable as exc:
            raise ServiceError(str(exc)) from None
        return save_example(model, job, index, request, notes, pitch_set, tempo)

    return {"examples": each_once(job, request.count, make, report=report, what="example"), "model": str(model.pk)}


def each_once(job, count: int, make, *, report, what: str) -> list[str]:
    """The ids of a job's ``count`` examples, ``make(index)`` called only for those not yet saved:
    a redelivered job keeps what it made before the crash and makes the rest."""
    made = []
    for index in range(count):
        existing = StudyExample.objects.filter(job=job, index=index).first()
        if existing is None:
            report(index / count, f"{what} {index + 1} of {count}")
            existing = make(index)
        made.append(str(existing.pk))
    return made


def _credit(model: StyleModel) -> str:
    names = ", ".join(c["name"] for c in model.credits)
    texts = " ".join(t for c in model.credits for t in c.get("attribution", []))
    return f"Learned from recordings of {names}. {texts}".strip()


def _remove_leftovers(prefix: str) -> None:
    """Files of an example whose process was killed before its row was saved: nobody refers to
    them, and the redelivered job writes them again."""
    try:
        _dirs, names = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in names:
        default_storage.delete(f"{prefix}/{name}")


def save_example(model, job, index, request, notes, pitch_set, tempo, *, title: str | None = None,
                 constraints: dict | None = None, practice_set=None, passage: dict | None = None,
                 labels: list[str] | None = None, sound=None) -> StudyExample:
    """An example's files (MusicXML, SVG, MIDI, WAV and Ogg), provenance and row; the files of a
    row that could not be saved are removed. ``passage``: the real phrase it varies or continues
    (recording, start, end), named in its provenance; ``labels``: the model's and that recording's;
    ``sound``: makes the audio from the placed events where it is not all synthesised."""
    example = StudyExample(model=model, job=job, index=index, seed=request.seed + index,
                           constraints=constraints or request.as_dict(), notes=[n.as_dict() for n in notes],
                           labels=list(labels if labels is not None else model.labels), created_by=job.created_by,
                           practice_set=practice_set)
    events = render.place(notes, pitch_set, tonic_hz=model.tonic_hz or 220.0, tempo_bpm=tempo, pulse=model.pulse)
    title = title or f"{model.tradition.name}: study example {index + 1} (seed {example.seed})"
    credit = _credit(model)
    notation = notation_from(model.tradition.notation)
    names = [notation.name(pitch_set.cents_of(n.step, n.deviation)) for n in notes if n.step is not None] \
        if notation else None
    aeu = bool(notation and notation.aeu)
    letters = scale_letters(midi_number(model.tonic_hz or 220.0), [n.step for n in notes if n.step is not None],
                            pitch_set.size) if aeu else None
    timbre = tuple(model.timbre or render.DEFAULT_TIMBRE)
    made = render.example_files(events, title=title, credit=credit, tempo_bpm=tempo, metre=model.metre,
                                names=names, aeu=aeu, letters=letters, timbre=timbre,
                                audio=sound(events, timbre) if sound else None)
    files = {kind: (data, f"example.{FILE_NAMES[kind]}") for kind, data in made.items()}
    prefix = f"examples/{job.pk}/{index}"
    _remove_leftovers(prefix)
    for field, (data, name) in files.items():
        setattr(example, f"{field}_file", default_storage.save(f"{prefix}/{name}", ContentFile(data)))
    example.provenance = {
        "ai_generated": True, "model": str(model.pk), "model_version": VERSION, "chosen": model.chosen,
        "tradition": {"id": str(model.tradition_id), "name": model.tradition.name},
        "manifest": [{"recording": s["recording"], "title": s["title"], "community": s["community"],
                      "master_sha256": s["master_sha256"], "notes_sha256": s["notes_sha256"],
                      "analyser_version": s["analyser_version"]} for s in model.manifest["recordings"]],
        "credits": model.credits, "labels": list(example.labels), "tempo_bpm": tempo, "tonic_hz": model.tonic_hz,
        "pitch_set_cents": list(model.pitch_set), "seed": example.seed,
        "timbre": model.timbre or "default harmonic voice",
        **({"source_passage": passage} if passage else {}),
    }
    try:
        with transaction.atomic():
            example.save()
    except Exception:
        for field in files:
            default_storage.delete(getattr(example, f"{field}_file"))
        raise
    return example
