"""Practice sets: one request makes examples graded from easy to hard (generation/ml/grading.py),
with the teacher's title and note, and a bundle a class can take away: each example's MusicXML,
MIDI, WAV and Ogg, one PDF of all the engraved scores, and a README with the provenance and the
credits of the communities the model learned from."""
import re
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from archive.services.errors import Conflict, ServiceError
from generation.ml import render
from generation.ml.bundle import zip_bundle
from generation.ml.grading import graded, sample_graded
from generation.ml.metre import bar_quarters
from generation.ml.sampling import DIFFICULTY, Unsatisfiable
from generation.ml.scores_pdf import scores_pdf
from generation.ml.tokens import PitchSet
from worker.services import job_create

from ..models import PracticeSet, StudyExample, StyleModel
from .examples import FILE_NAMES, Request, constraints_for, model_predictor, save_example

MIN_SET, MAX_SET = 2, 20
BUNDLED = ("musicxml", "midi", "audio", "ogg")  # each example's files in the zip (the SVGs go into scores.pdf)


def practice_set_start(*, model: StyleModel, user, title: str, note: str, request: Request) -> PracticeSet:
    if model.status != StyleModel.Status.READY:
        raise Conflict(gettext("this model is %(status)s: only a ready model makes practice sets") % {"status": model.status})
    title = (title or "").strip()
    if not title:
        raise ServiceError(gettext("give the set a title"), field="title")
    if not MIN_SET <= request.count <= MAX_SET:
        raise ServiceError(gettext("a practice set has %(low)s to %(high)s examples") % {"low": MIN_SET, "high": MAX_SET},
                           field="count")
    _graded(model, request)  # refuse what cannot be met before queueing anything
    with transaction.atomic():
        practice_set = PracticeSet.objects.create(model=model, title=title[:200], note=note or "", created_by=user,
                                                  request=request.as_dict())
        practice_set.job = job_create(kind="generation.practice_set", target=practice_set, user=user)
        practice_set.save(update_fields=["job"])
    return practice_set


def _graded(model: StyleModel, request: Request):
    base = constraints_for(model, request, index=0)
    levels = model.metrics.get("difficulty") or DIFFICULTY
    return base, graded(base, count=request.count, levels=levels, degrees=PitchSet(tuple(model.pitch_set)).size,
                        bar_beats=bar_quarters(model.metre) if model.metre else None)


def practice_set_generate(*, practice_set: PracticeSet, report=lambda p, m="": None) -> dict:
    """Make the set's examples (a redelivered job keeps those already made), then its bundle."""
    model, job = practice_set.model, practice_set.job
    if practice_set.bundle_file and default_storage.exists(practice_set.bundle_file):  # made already
        return {"practice_set": str(practice_set.pk), "examples": practice_set.examples.count(),
                "bundle": practice_set.bundle_file}
    if model.status != StyleModel.Status.READY:
        raise ServiceError(gettext("this model is %(status)s: only a ready model makes practice sets") % {"status": model.status})
    request = Request.from_params(practice_set.request)
    base, steps = _graded(model, request)
    vocab, predictor = model_predictor(model)
    pitch_set = PitchSet(tuple(model.pitch_set))
    tempo = request.tempo or model.tempo_bpm or 72.0
    for index, constraints in enumerate(steps):
        if StudyExample.objects.filter(practice_set=practice_set, index=index).exists():
            continue
        report(0.9 * index / len(steps), f"example {index + 1} of {len(steps)}")
        try:
            notes, constraints = sample_graded(predictor, vocab, pitch_set.size, constraints, base)
        except Unsatisfiable as exc:
            raise ServiceError(str(exc)) from None
        save_example(model, job, index, request, notes, pitch_set, tempo, practice_set=practice_set,
                     title=f"{practice_set.title}: {index + 1} of {len(steps)}",
                     constraints={**request.as_dict(), "graded": _plain(asdict(constraints))})
    report(0.95, "the bundle")
    name = default_storage.save(f"practice-sets/{practice_set.pk}/{_slug(practice_set.title)}.zip",
                                ContentFile(practice_set_bundle(practice_set)))
    PracticeSet.objects.filter(pk=practice_set.pk).update(bundle_file=name)
    return {"practice_set": str(practice_set.pk), "examples": len(steps), "bundle": name}


def _plain(values: dict) -> dict:
    return {key: value for key, value in values.items() if key not in ("seed", "temperature", "rests")}


def _slug(text: str) -> str:
    return re.sub(r"-+", "-", "".join(c if c.isalnum() else "-" for c in text.lower())).strip("-")[:60] or "practice-set"


def practice_set_bundle(practice_set: PracticeSet) -> bytes:
    """The zip: NN-example.<kind> per example, scores.pdf with every score, README.txt."""
    examples = list(practice_set.examples.order_by("index"))
    files, scores = [], []
    for example in examples:
        for kind in BUNDLED:
            if getattr(example, f"{kind}_file"):
                files.append((f"{example.index + 1:02d}-example.{FILE_NAMES[kind]}", _read(getattr(example, f"{kind}_file"))))
        scores.append((f"{example.index + 1}. {_grade_words(example)}", render.print_pages(_read(example.musicxml_file))))
    footer = f"{practice_set.title} — AI-generated study examples (Songkeeper)"
    files.append(("scores.pdf", scores_pdf(scores, title=practice_set.title, footer=footer)))
    files.append(("README.txt", practice_set_readme(practice_set, examples).encode()))
    return zip_bundle(files)


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _grade_words(example: StudyExample) -> str:
    graded_as = example.constraints.get("graded", {})
    leap = graded_as.get("max_leap")
    return (f"{len(example.notes)} notes, steps {graded_as.get('low_step')} to {graded_as.get('high_step')}"
            + (f", leaps up to {leap} steps" if leap else ""))


def practice_set_readme(practice_set: PracticeSet, examples: list[StudyExample]) -> str:
    model = practice_set.model
    provenance = examples[0].provenance if examples else {}
    lines = [practice_set.title, "=" * len(practice_set.title), ""]
    if practice_set.note:
        lines += [practice_set.note, ""]
    lines += [f"{len(examples)} AI-generated study examples in the style of {model.tradition.name}, graded from easy to hard.",
              "Made by a Songkeeper style model: they are not recordings of the tradition, and not a substitute for "
              "learning from its people.", "", "Examples:"]
    lines += [f"  {e.index + 1:02d}. {_grade_words(e)} (seed {e.seed})" for e in examples]
    lines += ["", "Files: NN-example.musicxml (score, exact tuning), .mid (pitch bends), .wav and .ogg (audio in the "
              "tradition's tuning), scores.pdf (every score).", "", "Credits:"]
    for credit in model.credits:
        lines.append(f"  Learned from recordings of {credit['name']}.")
        lines += [f"  {text}" for text in credit.get("attribution", [])]
    if model.labels:
        lines += ["", "Local Contexts labels carried by every example: " + ", ".join(model.labels)]
    lines += ["", "Provenance:", f"  style model {model.pk} ({model.chosen}, version {provenance.get('model_version', '?')})",
              f"  tonic {model.tonic_hz or '?'} Hz; pitch set (cents above the tonic): "
              + ", ".join(f"{c:.0f}" for c in model.pitch_set)]
    names = {credit["community"]: credit["name"] for credit in model.credits}
    lines += [f"  learned from “{s['title']}” ({names.get(s['community'], s['community'])}), "
              f"master sha256 {s['master_sha256']}" for s in provenance.get("manifest", [])]
    return "\n".join(lines) + "\n"
