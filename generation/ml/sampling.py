"""Sampling a melody under an educator's constraints. Constraints are enforced by masking
the model's distribution before each choice, and the masks look ahead (the end degree must
stay reachable under the largest leap allowed), so they hold exactly; the same model,
settings and seed always give the same melody."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .tokens import DURATION_BINS, Note, Vocabulary, duration_symbol, symbol_duration


class Predictor(Protocol):
    def start(self, tonic_step: int = 0): ...
    def advance(self, state, pitch: int, duration: int) -> None: ...
    def predict_pitch(self, state) -> np.ndarray: ...
    def predict_duration(self, state) -> np.ndarray: ...


DIFFICULTY = {  # largest leap in steps of the pitch set, shortest note in beats: for models trained
    "easy": {"max_leap": 2, "min_duration": 0.5},  # before their corpus set them (difficulty_levels)
    "medium": {"max_leap": 4, "min_duration": 0.25},
    "tradition": {"max_leap": None, "min_duration": None},
    "hard": {"max_leap": None, "min_duration": None},
}
DEFAULT_DIFFICULTY = "tradition"  # as the tradition plays: no limit its own pieces do not show
DEFAULT_TEMPERATURE = 0.8


def difficulty_levels(pieces) -> dict:
    """Difficulty in the tradition's own terms, from its pieces: *easy* keeps to the leaps of three
    intervals in four and to notes no shorter than the median; *medium* to the leaps of 97 in a
    hundred (so no interval that is common, 5 % or more, is ever forbidden) and notes no shorter
    than the shortest tenth; *tradition* to the largest leap and shortest note its pieces hold;
    *hard* sets no limit."""
    leaps, durations = [], []
    for piece in pieces:
        pitched = [n for n in piece.notes if n.step is not None]
        leaps += [abs(b.step - a.step) for a, b in zip(pitched, pitched[1:], strict=False)]
        durations += [n.duration for n in pitched]
    if not leaps or not durations:
        return dict(DIFFICULTY)
    leaps_sorted = np.sort(leaps)

    def leap_at(share):
        return max(1, int(leaps_sorted[min(len(leaps_sorted) - 1, int(np.ceil(share * len(leaps_sorted))) - 1)]))

    return {
        "easy": {"max_leap": leap_at(0.75), "min_duration": float(np.median(durations))},
        "medium": {"max_leap": leap_at(0.97), "min_duration": float(np.percentile(durations, 10))},
        "tradition": {"max_leap": int(max(leaps)), "min_duration": float(min(durations))},
        "hard": {"max_leap": None, "min_duration": None},
    }


TRADITION_ENDS = {"start_degree": None, "end_degree": 0}  # for models trained before their corpus set them


def tradition_ends(pieces, share: float = 0.5) -> dict:
    """Where examples begin and end by default, from the tradition's pieces: the start is left to
    the model (it learned how pieces open); the end is the tonic only where at least ``share`` of
    the pieces end on it (a makam's karar, most folk songs), else it too is free."""
    finals = []
    for piece in pieces:
        pitched = [n.step for n in piece.notes if n.step is not None]
        degrees = piece.meta.get("degrees")
        if pitched and degrees:
            finals.append((pitched[-1] - piece.meta.get("tonic_step", 0)) % degrees == 0)
    on_tonic = sum(finals) / len(finals) if finals else 1.0
    return {"start_degree": None, "end_degree": 0 if on_tonic >= share else None, "ends_on_tonic": round(on_tonic, 3)}


class Unsatisfiable(ValueError):
    """The constraints admit no melody (say which)."""


@dataclass
class Constraints:
    length_notes: int = 16
    low_step: int | None = None        # ambitus, in steps of the pitch set from the tonic
    high_step: int | None = None
    start_degree: int | None = 0        # 0: the tonic; None: any
    end_degree: int | None = 0
    max_leap: int | None = None         # steps between consecutive notes
    min_duration: float | None = None   # beats (or seconds, free rhythm): note density
    max_duration: float | None = None
    length_beats: float | None = None   # the notes fill exactly this many beats (whole bars), the last held to the end
    rests: bool = True
    temperature: float = 1.0
    seed: int = 0


def sample(model: Predictor, vocab: Vocabulary, degrees: int, constraints: Constraints, *, tonic_step: int = 0,
           prefix: tuple[Note, ...] = ()) -> list[Note]:
    """``length_notes`` new notes under the constraints; after ``prefix`` (a real phrase the model
    hears first, not returned), where the notes continue it."""
    c = constraints
    if c.length_notes < 1:
        raise Unsatisfiable("length must be at least one note")
    if c.temperature <= 0:
        raise Unsatisfiable("temperature must be above 0")
    steps = vocab.steps()[:-1].astype(int)
    low = max(vocab.low, c.low_step if c.low_step is not None else vocab.low)
    high = min(vocab.high, c.high_step if c.high_step is not None else vocab.high)
    in_range = (steps >= low) & (steps <= high)
    degree = np.mod(steps - tonic_step, degrees)
    start_ok = in_range & (degree == c.start_degree) if c.start_degree is not None else in_range
    end_ok = in_range & (degree == c.end_degree) if c.end_degree is not None else in_range
    if not start_ok.any():
        raise Unsatisfiable("no note of the start degree lies in the range")
    if not end_ok.any():
        raise Unsatisfiable("no note of the end degree lies in the range")
    end_steps = steps[end_ok]
    durations = np.array([symbol_duration(s)[0] for s in range(2 * len(DURATION_BINS))])
    flags = np.array([symbol_duration(s)[1] for s in range(2 * len(DURATION_BINS))])
    duration_ok = np.ones(len(durations), bool)
    if c.min_duration is not None:
        duration_ok &= durations >= c.min_duration - 1e-9
    if c.max_duration is not None:
        duration_ok &= durations <= c.max_duration + 1e-9
    if not duration_ok.any():
        raise Unsatisfiable("no note length lies between the shortest and longest allowed")
    shortest = float(durations[duration_ok].min())
    count = c.length_notes
    if c.length_beats is not None:  # in bars, length_notes is a target: no more than fit at the shortest note
        count = min(count, int(c.length_beats / shortest + 1e-9))
        if count < 1:
            raise Unsatisfiable("not one note allowed fits in so few bars")

    reach = np.min(np.abs(steps[:, None] - end_steps[None, :]), axis=1)  # steps from each step to an end note
    rng = np.random.default_rng(c.seed)
    state = model.start(tonic_step)
    notes: list[Note] = []
    last_step: int | None = None
    elapsed = 0.0
    for heard in prefix:
        model.advance(state, vocab.encode(heard.step), duration_symbol(heard))
        last_step = heard.step if heard.step is not None else last_step
    for i in range(count):
        remaining = count - 1 - i
        allowed = end_ok.copy() if remaining == 0 else (start_ok.copy() if i == 0 else in_range.copy())
        if c.max_leap is not None and last_step is not None:
            allowed &= np.abs(steps - last_step) <= c.max_leap
        if c.max_leap is not None and remaining > 0:
            allowed &= reach <= remaining * c.max_leap
        rest_ok = c.rests and 0 < i and remaining > 0 and notes[-1].step is not None
        if rest_ok and c.max_leap is not None:
            # a rest does not move: the end must stay reachable from the last note in the notes left
            rest_ok = bool(np.min(np.abs(end_steps - last_step)) <= remaining * c.max_leap)
        mask = np.append(allowed, rest_ok)
        if not mask.any():
            raise Unsatisfiable("the leap, range and end constraints cannot all be met")
        pitch = _draw(model.predict_pitch(state), mask, c.temperature, rng)
        d_mask = duration_ok & (flags == (remaining == 0)) if remaining == 0 else duration_ok.copy()
        if c.length_beats is not None:  # leave room for the notes still to come
            fits = d_mask & (durations <= c.length_beats - elapsed - remaining * shortest + 1e-9)
            d_mask = fits if fits.any() else d_mask & (durations <= shortest + 1e-9)
        duration = _draw(model.predict_duration(state), d_mask, c.temperature, rng)
        model.advance(state, pitch, duration)
        step = vocab.decode(pitch)
        length, phrase_end = symbol_duration(duration)
        if c.length_beats is not None and remaining == 0:
            length = max(length, c.length_beats - elapsed)  # the last note is held to the end of its bar
        elapsed += length
        notes.append(Note(step, length, phrase_end=phrase_end))
        if step is not None:
            last_step = step
    return notes


def _draw(p: np.ndarray, mask: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    weights = np.where(mask, np.power(np.clip(p, 1e-12, None), 1.0 / temperature), 0.0)
    weights /= weights.sum()
    return int(rng.choice(len(weights), p=weights))
