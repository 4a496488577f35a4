"""Style fidelity: how close a set of melodies sounds to a tradition, measured on what a listener
hears rather than on the model's symbols. Four histograms pooled over a set: pitch (cents above
the tonic, folded into one octave), interval (cents between consecutive notes), note length
(log-spaced classes) and phrase length (notes between rests or phrase ends). Two sets are compared
by histogram intersection (overlap: 1.0 = identical) and by KL divergence (bits, of the reference
from the compared set, smoothed). A generated set is read next to the ceiling (real held-out
pieces against the training pieces: two real samples of the tradition) and the floor (the same
held-out pieces rounded to 12-TET: what a rendering that ignores the tradition's tuning scores).

A melody here is a list of (cents above the tonic or None for a rest, duration, phrase_end)."""
from __future__ import annotations

import math

import numpy as np

from .sampling import (
    DEFAULT_DIFFICULTY,
    DEFAULT_TEMPERATURE,
    DIFFICULTY,
    TRADITION_ENDS,
    Constraints,
    Unsatisfiable,
    sample,
)
from .tokens import DURATION_BINS, Piece, PitchSet, Vocabulary, duration_bin

PITCH_BIN = 10          # cents
INTERVAL_RANGE = 1200   # cents either way; larger leaps count at the edge
SMOOTH = 15.0           # cents: the Gaussian a pitch is spread over (tuning is never exact)
MAX_PHRASE = 32
FEATURES = ("pitch", "interval", "note_length", "phrase_length")
EXAMPLE_NOTES = (32, 256)  # examples as long as the tradition's pieces, within these bounds

Melody = list[tuple[float | None, float, bool]]


def melody_of(piece: Piece, pitch_set: PitchSet) -> Melody:
    """A piece of the model's symbols as heard: each step in cents above the piece's tonic."""
    tonic = pitch_set.cents_of(piece.meta.get("tonic_step", 0))
    return [(None if n.step is None else pitch_set.cents_of(n.step, n.deviation) - tonic, n.duration, n.phrase_end)
            for n in piece.notes]


def rounded_to_12tet(melody: Melody, tonic_cents_from_a440: float = 0.0) -> Melody:
    """The melody as a 12-TET rendering would play it: every pitch on the nearest equal semitone
    of the A440 grid (the tonic's own offset from that grid is kept, as it is heard)."""
    def snap(cents):
        return None if cents is None else round((cents + tonic_cents_from_a440) / 100) * 100 - tonic_cents_from_a440
    return [(snap(c), d, end) for c, d, end in melody]


def _smoothed(values: list[float], edges: np.ndarray, *, circular: float | None = None) -> np.ndarray:
    centres = (edges[:-1] + edges[1:]) / 2
    hist = np.zeros(len(centres))
    for value in values:
        distance = centres - value
        if circular:
            distance = (distance + circular / 2) % circular - circular / 2
        hist += np.exp(-0.5 * (distance / SMOOTH) ** 2)
    return hist


def histograms(melodies: list[Melody]) -> dict[str, np.ndarray]:
    pitches, intervals, lengths, phrases = [], [], np.zeros(len(DURATION_BINS)), np.zeros(MAX_PHRASE)
    for melody in melodies:
        last, run = None, 0
        for cents, duration, phrase_end in melody:
            lengths[duration_bin(duration)] += 1
            if cents is None:
                if run:
                    phrases[min(run, MAX_PHRASE) - 1] += 1
                last, run = None, 0
                continue
            pitches.append(cents % 1200.0)
            if last is not None:
                intervals.append(float(np.clip(cents - last, -INTERVAL_RANGE, INTERVAL_RANGE)))
            last, run = cents, run + 1
            if phrase_end:
                phrases[min(run, MAX_PHRASE) - 1] += 1
                run = 0
        if run:
            phrases[min(run, MAX_PHRASE) - 1] += 1
    out = {
        "pitch": _smoothed(pitches, np.arange(0, 1200 + PITCH_BIN, PITCH_BIN), circular=1200.0),
        "interval": _smoothed(intervals, np.arange(-INTERVAL_RANGE - PITCH_BIN / 2, INTERVAL_RANGE + PITCH_BIN, PITCH_BIN)),
        "note_length": lengths,
        "phrase_length": phrases,
    }
    return {name: h / h.sum() if h.sum() > 0 else h for name, h in out.items()}


def overlap(p: np.ndarray, q: np.ndarray) -> float:
    """Histogram intersection: the share of the two distributions in common (1.0 = identical)."""
    return float(np.minimum(p, q).sum())


def kl_bits(p: np.ndarray, q: np.ndarray, floor: float = 1e-4) -> float:
    """KL(p ‖ q) in bits, both smoothed by ``floor`` so that a value q never shows is costly, not infinite."""
    p, q = (p + floor) / (p + floor).sum(), (q + floor) / (q + floor).sum()
    return float(np.sum(p * np.log2(p / q)))


def compare(melodies: list[Melody], reference: list[Melody]) -> dict[str, dict[str, float]]:
    """Each feature's overlap and KL (of the reference from these melodies)."""
    mine, theirs = histograms(melodies), histograms(reference)
    return {name: {"overlap": round(overlap(mine[name], theirs[name]), 4),
                   "kl_bits": round(kl_bits(theirs[name], mine[name]), 4)} for name in FEATURES}


def common_intervals(melodies: list[Melody], share: float = 0.05) -> list[float]:
    """The intervals (in cents, rounded to 10) that make at least ``share`` of a corpus's intervals."""
    counts: dict[float, int] = {}
    total = 0
    for melody in melodies:
        pitched = [c for c, _d, _e in melody if c is not None]
        for a, b in zip(pitched, pitched[1:], strict=False):
            key = round((b - a) / PITCH_BIN) * PITCH_BIN
            counts[key] = counts.get(key, 0) + 1
            total += 1
    return sorted(k for k, n in counts.items() if total and n / total >= share)


def verdict(default: dict, ceiling: dict, floor: dict) -> str:
    """A plain reading of the pitch and interval overlaps for an educator (English; the page translates)."""
    def score(d):
        return (d["pitch"]["overlap"] + d["interval"]["overlap"]) / 2
    mine, top, bottom = score(default), score(ceiling), score(floor)
    if mine >= top - 0.05:
        return "close"        # as close to the tradition as real pieces are to each other
    if bottom >= top:         # a tradition in 12-TET: the floor says nothing, the ceiling decides
        return "near" if mine >= top - 0.15 else "far"
    if mine > bottom + 0.5 * (top - bottom):
        return "near"         # clearly nearer than a 12-TET rendering, short of real pieces
    return "far"              # no closer than a rendering that ignores the tradition's tuning


def tonic_offset_from_a440(tonic_hz: float) -> float:
    return 1200.0 * math.log2(tonic_hz / 440.0) if tonic_hz and tonic_hz > 0 else 0.0


def example_melodies(*, predictor, vocab: Vocabulary, pitch_set: PitchSet, pulse: bool, level: dict,
                     ends: dict | None = None, count: int = 48, length: int = 48) -> list[Melody]:
    """``count`` examples of ``length`` notes at one difficulty level and the model's default
    start and end (``ends``: tradition_ends), as heard (cents above the tonic)."""
    ends = ends or TRADITION_ENDS
    melodies = []
    for seed in range(count):
        constraints = Constraints(length_notes=length, max_leap=level["max_leap"],
                                  start_degree=ends["start_degree"], end_degree=ends["end_degree"],
                                  min_duration=level["min_duration"] if pulse else None,
                                  temperature=DEFAULT_TEMPERATURE, seed=seed)
        try:
            notes = sample(predictor, vocab, pitch_set.size, constraints)
        except Unsatisfiable:
            continue
        melodies.append(melody_of(Piece(notes, meta={"tonic_step": 0}), pitch_set))
    return melodies


def example_length(reference: list[Melody]) -> int:
    """How long the examples measured against ``reference`` are: as long as its median piece. A
    histogram of short examples over-weighs openings and cadences (on SymbTr makams, examples of 48
    notes scored 0.87 on pitch where examples as long as the pieces scored 0.90)."""
    lengths = sorted(len(m) for m in reference)
    median = lengths[len(lengths) // 2] if lengths else EXAMPLE_NOTES[0]
    return int(min(max(median, EXAMPLE_NOTES[0]), EXAMPLE_NOTES[1]))


def example_score(fidelity: dict) -> float:
    """One number for choosing between models: the mean of pitch and interval overlap at the defaults."""
    return (fidelity["pitch"]["overlap"] + fidelity["interval"]["overlap"]) / 2


def judge(*, pitch_set: PitchSet, pulse: bool, level: dict, ends: dict | None, count: int = 32):
    """A judge for train_style_model: a model's examples at the default settings against held-out pieces."""
    def score(predictor, vocab: Vocabulary, test: list[Piece]) -> float:
        reference = [melody_of(p, pitch_set) for p in test]
        melodies = example_melodies(predictor=predictor, vocab=vocab, pitch_set=pitch_set, pulse=pulse, level=level,
                                    ends=ends, count=count, length=example_length(reference))
        return example_score(compare(melodies, reference)) if melodies and reference else 0.0
    return score


def model_fidelity(*, predictor, vocab: Vocabulary, pitch_set: PitchSet, pulse: bool, train: list[Piece],
                   test: list[Piece], tonic_hz: float, levels: dict | None = None, ends: dict | None = None,
                   count: int = 48, length: int | None = None, reference: list[Melody] | None = None,
                   training: list[Melody] | None = None, reference_tonics_hz: list[float] | None = None) -> dict:
    """The model's examples (``count`` of ``length`` notes, by default as long as the held-out
    pieces (example_length), at the default settings and unconstrained; fewer than about 40 and
    the histograms measure their own sampling noise)
    against the held-out pieces, beside the ceiling and the floor, and the verdict. ``predictor``
    must not have seen ``test``; ``levels``: the model's difficulty levels (difficulty_levels).
    ``reference`` and ``training``, where the truth is known better than the model's own pieces
    say (audio whose notation is known), replace the held-out and training pieces as heard;
    ``reference_tonics_hz``, each reference piece's own tonic, places it on the 12-TET grid for the floor."""
    reference = reference if reference is not None else [melody_of(p, pitch_set) for p in test]
    training = training if training is not None else [melody_of(p, pitch_set) for p in train]
    tonics = reference_tonics_hz or [tonic_hz] * len(reference)
    length = length or example_length(reference)
    out = {"ceiling": compare(training, reference),
           "floor": compare([rounded_to_12tet(m, tonic_offset_from_a440(t)) for m, t in zip(reference, tonics, strict=True)],
                            reference),
           "examples": count, "example_notes": length, "reference_pieces": len(reference)}
    for name, difficulty in (("default", DEFAULT_DIFFICULTY), ("unconstrained", "hard")):
        melodies = example_melodies(predictor=predictor, vocab=vocab, pitch_set=pitch_set, pulse=pulse,
                                    level=(levels or DIFFICULTY)[difficulty], ends=ends, count=count, length=length)
        out[name] = compare(melodies, reference)
    out["verdict"] = verdict(out["default"], out["ceiling"], out["floor"])
    return out
