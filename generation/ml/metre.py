"""The metre a tradition's pieces show, so that its examples are engraved in it rather than in 4/4.

A score says its metre (the time signature music21 reads in MusicXML, ABC and kern, a MIDI file's
time signature, a SymbTr score's usul). A piece heard from a recording says nothing, so its metre
is estimated from where the weight of its notes falls: long notes come back once a bar, and the
autocorrelation of a duration-weighted onset train (Brown 1993) peaks at the bar's length. The
corpus's metre is the one that holds the most of its music."""
from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

import numpy as np

from .tokens import Note

GRID = 12  # onset-train cells a beat: sixteenths and triplets both fall on the grid
CANDIDATES = {"2/4": 2.0, "3/4": 3.0, "4/4": 4.0}  # bar lengths in beats an estimate chooses among
# (a bar of three quarters is then 3/4 or 6/8, by which of its beats, quarter or dotted quarter, is the pulse)
FALLBACK = "4/4"  # a metered corpus with nothing to go on
MIN_BEATS = 16.0  # a heard piece shorter than this (in beats) gives no estimate


def signature_valid(signature: str) -> bool:
    """``n/d`` with n a whole number of beats from 1 to 64 and d a note value (1, 2, 4, 8, 16, 32)."""
    num, _, den = signature.partition("/")
    return num.isdigit() and den.isdigit() and 1 <= int(num) <= 64 and int(den) in (1, 2, 4, 8, 16, 32)


def bar_quarters(signature: str) -> float:
    """How many quarter notes (the examples' beat) one bar of ``signature`` holds."""
    num, den = signature.split("/")
    return float(Fraction(int(num) * 4, int(den)))


def piece_metre(metres: list[tuple[str | None, float]]) -> str | None:
    """The signature that holds the most of a score, from (signature in force, quarters) per note."""
    held = Counter()
    for signature, quarters in metres:
        if signature and signature_valid(signature):
            held[signature] += quarters
    return held.most_common(1)[0][0] if held else None


def timed(notes: list[Note]) -> list[tuple[float, float]]:
    """(onset, duration) in beats of each pitched note of a piece whose notes follow one another."""
    out, t = [], 0.0
    for n in notes:
        if n.step is not None:
            out.append((t, n.duration))
        t += n.duration
    return out


def estimate(notes: list[tuple[float, float]]) -> str | None:
    """A heard piece's metre among ``CANDIDATES``, from its notes' (onset, duration) in beats: the
    bar length whose lag in the onset train's autocorrelation is the strongest. None: too short,
    or no bar length stands out at all."""
    if not notes or notes[-1][0] + notes[-1][1] - notes[0][0] < MIN_BEATS:
        return None
    first = notes[0][0]
    train = np.zeros(int(math.ceil((notes[-1][0] - first) * GRID)) + 1)
    for onset, duration in notes:
        train[int(round((onset - first) * GRID))] += math.log1p(duration * 4)  # a long note weighs more, within limits
    train -= train.mean()
    scores = {signature: _correlation(train, int(beats * GRID)) for signature, beats in CANDIDATES.items()}
    best = max(scores, key=scores.get)
    if scores[best] <= 0:
        return None
    if best == "3/4" and _correlation(train, GRID * 3 // 2) > _correlation(train, GRID):
        return "6/8"  # the bar's three quarters fall in two dotted-quarter beats
    return best


def _correlation(train: np.ndarray, lag: int) -> float:
    if lag <= 0 or lag >= len(train):
        return 0.0
    a, b = train[:-lag], train[lag:]
    norm = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / norm if norm else 0.0


def corpus_metre(pieces) -> dict:
    """The metre to engrave a metered tradition's examples in, from its pieces' ``meta["metre"]``
    (weighted by how many beats each piece holds): the signature, the share of the music in it,
    and whether it was read from scores or estimated from recordings."""
    held, estimated = Counter(), Counter()
    for piece in pieces:
        signature = piece.meta.get("metre")
        if not signature:
            continue
        beats = sum(n.duration for n in piece.notes)
        held[signature] += beats
        if piece.meta.get("metre_estimated"):
            estimated[signature] += beats
    if not held:
        return {"signature": FALLBACK, "share": 0.0, "source": "default"}
    signature, beats = held.most_common(1)[0]
    source = "recordings" if estimated[signature] * 2 > beats else "scores"
    return {"signature": signature, "share": round(beats / sum(held.values()), 3), "source": source}


MAX_COUNT_IN = 12  # clicks: a long usul (28/4) is counted in by its first beats


def count_in(signature: str | None) -> tuple[int, float]:
    """A bar's count-in for the practice player: how many beats to click and how many quarters each
    lasts (6/8 and 9/8 in dotted quarters, 7/8 in eighths, 3/4 in quarters); four quarters where
    there is no metre."""
    if not signature or not signature_valid(signature):
        return 4, 1.0
    num, den = (int(x) for x in signature.split("/"))
    beats, quarters = (num // 3, 12.0 / den) if den >= 8 and num % 3 == 0 and num > 3 else (num, 4.0 / den)
    return min(beats, MAX_COUNT_IN), quarters
