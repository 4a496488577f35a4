"""The tradition's pitch set, learned from what its recordings and scores hold: the degrees the
analysis found in each recording (with the share of time spent on each) and the pitches of its
scores, merged across the corpus. A recording whose analysis took another degree for its tonic
is first turned to agree with the rest. Pure: the training service and the bench share it."""
from __future__ import annotations

import numpy as np

from .tokens import PitchSet

MERGE_CENTS = 50.0   # two peaks closer than this are variants of one degree
SPREAD_CENTS = 12.0  # each peak is spread so that variants a few cents apart meet
REALIGN_GAIN = 1.3   # turned only if it then agrees this much better (right ones: at most 0.96 here)


def _folded(peaks: list[tuple[float, float]]) -> np.ndarray:
    """Peaks (cents, weight) as a smoothed octave-folded histogram of 1200 one-cent bins, summing to 1."""
    grid = np.arange(1200.0)
    hist = np.zeros(1200)
    for cents, weight in peaks:
        distance = (grid - cents % 1200.0 + 600.0) % 1200.0 - 600.0
        hist += weight * np.exp(-0.5 * (distance / SPREAD_CENTS) ** 2)
    return hist / hist.sum() if hist.sum() > 0 else hist


def _peaks(source: dict) -> list[tuple[float, float]]:
    return [(p["cents"] % 1200.0, p.get("weight", 1.0)) for p in source["pitch_set"]]


def corpus_shifts(sources: list[dict]) -> list[float]:
    """For each recording, the cents to subtract from its pitches so that its tonic is where the
    other recordings have theirs: 0 unless the analysis read another degree (a fifth, a fourth)
    as the tonic, which shows as a pitch set that fits the others only when turned. Needs three
    recordings; one whose turned set does not fit clearly better is left as it is."""
    hists = [_folded(_peaks(s)) for s in sources]
    if len(sources) < 3:
        return [0.0] * len(sources)
    total = np.sum(hists, axis=0)
    shifts = []
    for source, hist in zip(sources, hists, strict=True):
        others = total - hist

        def fit(shift: float, hist=hist, others=others) -> float:
            return float(np.dot(np.roll(hist, -int(round(shift))), others))
        turns = [c for c, _w in _peaks(source) if MERGE_CENTS / 2 < c < 1200 - MERGE_CENTS / 2]
        best = max(turns, key=fit, default=0.0)
        shifts.append(round(best, 1) if turns and fit(best) > REALIGN_GAIN * fit(0.0) else 0.0)
    return shifts


def shifted(source: dict, notes: list[dict], shift: float) -> tuple[dict, list[dict]]:
    """A recording's pitch set and notes with its tonic moved ``shift`` cents up, in the octave
    that keeps its melody's median nearest the tonic's own register."""
    if not shift:
        return source, notes
    pitched = sorted(n["cents"] for n in notes if n.get("cents") is not None)
    median = pitched[len(pitched) // 2] - shift if pitched else 0.0
    move = shift + 1200.0 * round((median - 450.0) / 1200.0)  # the melody's median lands near a fourth above
    source = {**source, "pitch_set": [{**p, "cents": round((p["cents"] - shift) % 1200.0, 1)} for p in source["pitch_set"]]}
    return source, [{**n, "cents": n["cents"] - move} if n.get("cents") is not None else n for n in notes]


def tradition_pitch_set(sources: list[dict], scores: list[tuple[list, float]] = ()) -> PitchSet:
    """The degrees of the recordings' pitch-set peaks (each recording weighted by the share of its
    time on each) and of the scores' pitches (each score by the share of its notes), pooled: the
    tallest peaks of the pooled histogram, no two closer than MERGE_CENTS, the tonic first.
    Variants of one degree (a second sung 113 or 136 cents up) become the commoner one."""
    hist = np.zeros(1200)
    for source in sources:
        hist += _folded(_peaks(source))
    for notes, tonic in scores:
        pitched = [n.midi for n in notes if n.midi is not None]
        hist += _folded([((m - tonic) * 100.0, 1.0) for m in pitched])
    if not hist.any():
        return PitchSet((0.0,))
    maxima = [i for i in range(1200) if hist[i] > 0 and hist[i] >= hist[i - 1] and hist[i] > hist[(i + 1) % 1200]]
    kept: list[int] = []
    for i in sorted(maxima, key=lambda i: -hist[i]):
        if all(abs((i - k + 600) % 1200 - 600) >= MERGE_CENTS for k in kept):
            kept.append(i)
    degrees = sorted(_refined(hist, i) for i in kept if MERGE_CENTS / 2 <= i <= 1200 - MERGE_CENTS / 2)
    return PitchSet((0.0, *degrees))


def _refined(hist: np.ndarray, peak: int) -> float:
    """The peak's centre to a tenth of a cent: the weighted mean of the bins within SPREAD_CENTS."""
    offsets = np.arange(-int(SPREAD_CENTS), int(SPREAD_CENTS) + 1)
    weights = hist[(peak + offsets) % 1200]
    return round(float((peak + np.dot(offsets, weights) / weights.sum()) % 1200.0), 1)
