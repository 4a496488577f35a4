"""Variations on a real phrase: the educator picks a passage of a recording the model learned from
(start and end, in seconds); the model continues it, makes variations that keep its opening and
its cadence and invent the middle, or answers it: a call-and-response item whose audio is the real
passage (from the access copy, for those who may hear it) and then the answer, ending on a chosen
degree, or a silence as long for the student to sing it. The passage is read from exactly the notes the model
learned (the frozen notes in its manifest). Every example names the passage in its provenance,
and it carries the recording's inherited labels as well as the model's."""
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils.translation import gettext

from archive.audio.segment import segment_mono
from archive.labels import INHERITED
from archive.models import Recording
from archive.policy import recordings_audible, recordings_derivable
from archive.services.derivatives import local_copy
from archive.services.errors import Conflict, NotAllowed, ServiceError
from generation.ml import render
from generation.ml.sampling import Unsatisfiable
from generation.ml.tokens import Note, PitchSet
from generation.ml.variation import variation
from worker.services import job_create

from ..models import StudyExample, StyleModel
from ..selectors import learned_notes, learned_source
from .examples import Request, each_once, model_ends, model_predictor, save_example

MODES = ("vary", "continue", "answer")
MIN_NOTES, MAX_COUNT = 3, 8


@dataclass
class Passage:
    recording: Recording
    start: float
    end: float
    notes: list[Note]

    def as_dict(self) -> dict:
        return {"recording": str(self.recording.pk), "title": self.recording.title,
                "community": self.recording.community.name, "start": round(self.start, 3), "end": round(self.end, 3),
                "notes": len(self.notes)}


def passage_of(model: StyleModel, recording: Recording, start: float, end: float) -> Passage:
    """The notes the model learned from that lie inside [start, end], in the model's steps."""
    learned = learned_notes(model, recording.pk)
    if learned is None:
        raise ServiceError(gettext("this model did not learn from that recording: choose one of its sources"),
                           field="recording")
    if not 0 <= start < end:
        raise ServiceError(gettext("the passage must end after it starts"), field="end")
    heard = [n for n in learned if n["onset"] >= start - 0.05 and n["onset"] + n["duration"] <= end + 0.05]
    if len(heard) < MIN_NOTES:
        raise ServiceError(gettext("choose a passage with at least %(n)s notes") % {"n": MIN_NOTES}, field="end")
    source = learned_source(model, recording.pk)
    pitch_set = PitchSet(tuple(model.pitch_set))
    beats = (source.get("tempo_bpm") or model.tempo_bpm or 60.0) / 60.0 if model.pulse else 1.0
    notes = [Note(pitch_set.locate(n["cents"])[0], n["duration"] * beats) for n in heard]
    notes[-1] = Note(notes[-1].step, notes[-1].duration, phrase_end=True)
    return Passage(recording, start, end, notes)


def _check(model: StyleModel, user, recording: Recording) -> None:
    if model.status != StyleModel.Status.READY:
        raise Conflict(gettext("this model is %(status)s: only a ready model generates examples") % {"status": model.status})
    if not recordings_derivable(user=user).filter(pk=recording.pk).exists():
        raise NotAllowed(gettext("you may vary only passages of recordings you may hear"), field="recording")


def variation_start(*, model: StyleModel, user, recording: Recording, start: float, end: float, mode: str = "vary",
                    count: int = 2, length_notes: int = 12, seed: int = 0, end_degree: int | None = None,
                    silent: bool = False):
    """Queue the variations (the passage is read now, so a bad choice is refused before any work)."""
    _check(model, user, recording)
    if mode not in MODES:
        raise ServiceError(gettext("the mode is vary or continue"), field="mode")
    if not 1 <= count <= MAX_COUNT:
        raise ServiceError(gettext("ask for 1 to %(n)s variations") % {"n": MAX_COUNT}, field="count")
    passage_of(model, recording, start, end)
    degrees = len(model.pitch_set)
    if end_degree is not None and not 0 <= end_degree < degrees:
        raise ServiceError(gettext("the pitch set has degrees 0 to %(last)s") % {"last": degrees - 1}, field="end_degree")
    if mode == "answer" and not recording.files.filter(role="access").exists():
        raise ServiceError(gettext("the recording has no access copy to play the call from yet"), field="recording")
    params = {**Request(count=count, length_notes=length_notes, seed=seed).as_dict(), "mode": mode,
              "recording": str(recording.pk), "start": start, "end": end, "answer_end_degree": end_degree,
              "silent": bool(silent)}
    with transaction.atomic():
        return job_create(kind="generation.variation", target=model, params=params, user=user)


def variations_generate(*, model: StyleModel, job, report=lambda p, m="": None) -> dict:
    """The job's variations: opening and cadence kept with the middle invented ("vary"), or the
    passage followed by as many new notes as asked ("continue")."""
    recording = Recording.objects.select_related("community").get(pk=job.params["recording"])
    passage = passage_of(model, recording, job.params["start"], job.params["end"])
    request = Request.from_params(job.params)
    vocab, predictor = model_predictor(model)
    pitch_set = PitchSet(tuple(model.pitch_set))
    inside = [n for n in passage.notes if n.step is None or vocab.low <= n.step <= vocab.high]
    if len(inside) < len(passage.notes):
        raise ServiceError(gettext("the passage goes beyond the notes the model knows"))
    labels = sorted(set(model.labels) | (set(recording.label_links.values_list("label_id", flat=True)) & INHERITED))
    tempo = request.tempo or model.tempo_bpm or 72.0
    mode, ending = job.params["mode"], job.params.get("answer_end_degree")
    what = {"vary": "Variation on", "continue": "Continuation of", "answer": "Call and response on"}[mode]

    def make(index: int) -> StudyExample:
        try:
            notes = variation("continue" if mode == "answer" else mode, passage.notes, predictor, vocab, pitch_set.size,
                              length_notes=request.length_notes, seed=request.seed + index,
                              temperature=request.temperature,
                              end_degree=ending if ending is not None else model_ends(model).get("end_degree"))
        except Unsatisfiable as exc:
            raise ServiceError(str(exc)) from None
        title = f"{what} “{recording.title}”, {passage.start:.1f}–{passage.end:.1f} s ({index + 1})"
        sound = _call_and_response(recording, passage, job) if mode == "answer" else None
        return save_example(model, job, index, request, notes, pitch_set, tempo, title=title,
                            constraints={**request.as_dict(), "mode": mode, "answer_end_degree": ending,
                                         "silent": job.params.get("silent", False)},
                            passage=passage.as_dict(), labels=labels, sound=sound)

    made = each_once(job, request.count, make, report=report, what="variation")
    return {"examples": made, "model": str(model.pk), "passage": passage.as_dict()}


def _call_and_response(recording: Recording, passage: Passage, job):
    """The item's audio: the passage from the recording's access copy, for one who may still hear it
    (asked again now, in the worker), then the answer (or its silence)."""
    if not recordings_audible(user=job.created_by).filter(pk=recording.pk).exists():
        raise ServiceError(gettext("you may vary only passages of recordings you may hear"))
    access = recording.files.filter(role="access").first()
    if access is None:
        raise ServiceError(gettext("the recording has no access copy to play the call from yet"))
    with local_copy(access.storage_name) as path:
        call = segment_mono(path, passage.start, passage.end)
    called = len(passage.notes)

    def sound(events, timbre):
        answer = events[called:]
        offset = answer[0].start if answer else 0.0
        moved = [replace(e, start=e.start - offset) for e in answer]
        return render.call_and_response(call, moved, silent=bool(job.params.get("silent")), timbre=timbre)

    return sound
