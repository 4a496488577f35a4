"""Distribution measures between sets of melodies, in the style of Yang & Lerch (2018):
scale-degree, interval and note-length histograms pooled over a set, compared by overlap
and Jensen-Shannon divergence. A generated set is judged against the same distance
between two halves of the real corpus."""
from __future__ import annotations

import numpy as np

from .tokens import DURATION_BINS, Piece, duration_bin

MAX_INTERVAL = 24


def histograms(pieces: list[Piece], degrees: int) -> dict[str, np.ndarray]:
    degree = np.zeros(degrees)
    interval = np.zeros(2 * MAX_INTERVAL + 1)
    length = np.zeros(len(DURATION_BINS))
    for piece in pieces:
        tonic = piece.meta.get("tonic_step", 0)
        last = None
        for note in piece.notes:
            length[duration_bin(note.duration)] += 1
            if note.step is None:
                continue
            degree[(note.step - tonic) % degrees] += 1
            if last is not None:
                interval[int(np.clip(note.step - last, -MAX_INTERVAL, MAX_INTERVAL)) + MAX_INTERVAL] += 1
            last = note.step
    return {name: h / max(h.sum(), 1) for name, h in (("scale_degree", degree), ("interval", interval), ("note_length", length))}


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    m = (p + q) / 2

    def kl(a, b):
        mask = a > 0
        return float(np.sum(a[mask] * np.log2(a[mask] / b[mask])))

    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


def compare(a: list[Piece], b: list[Piece], degrees: int) -> dict[str, dict[str, float]]:
    ha, hb = histograms(a, degrees), histograms(b, degrees)
    return {name: {"overlap": round(float(np.minimum(ha[name], hb[name]).sum()), 4),
                   "js_divergence": round(js_divergence(ha[name], hb[name]), 5)} for name in ha}


def piece_divergence(pieces: list[Piece], reference: list[Piece], degrees: int) -> dict[str, float]:
    """Mean Jensen-Shannon divergence of each piece's own histograms from the reference set's
    pooled ones. A generated set scores close to held-out real pieces when each generated melody
    is as typical of the corpus as a real one is (piece-level, as Yang & Lerch compare sets, so
    the measure does not shrink with the number of notes pooled)."""
    pooled = histograms(reference, degrees)
    scores: dict[str, list[float]] = {name: [] for name in pooled}
    for piece in pieces:
        own = histograms([piece], degrees)
        for name, h in own.items():
            if h.sum() > 0:
                scores[name].append(js_divergence(h, pooled[name]))
    return {name: round(float(np.mean(v)), 5) if v else 0.0 for name, v in scores.items()}
