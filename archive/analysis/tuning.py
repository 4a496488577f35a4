"""The pitch distribution in cents relative to the tonic, and its peaks: the recording's
own pitch set (scale degrees in cents, with their weight), not a 12-TET grid."""
from dataclasses import dataclass

import numpy as np

from .pitch import PitchTrack

BIN_CENTS = 1.0
SMOOTH_CENTS = 7.5


@dataclass
class Degree:
    cents: float
    weight: float


def folded_histogram(track: PitchTrack, tonic_hz: float, *, smooth: float = SMOOTH_CENTS) -> np.ndarray:
    """1200 one-cent bins, octave-folded, circularly smoothed, summing to 1."""
    from scipy.ndimage import gaussian_filter1d  # scipy (77 MB) loads where pitch sets are made, the worker

    cents = track.stable_cents(tonic_hz)
    cents = cents[~np.isnan(cents)] % 1200
    hist, _ = np.histogram(cents, bins=int(1200 / BIN_CENTS), range=(0, 1200))
    hist = gaussian_filter1d(hist.astype(float), smooth / BIN_CENTS, mode="wrap")
    total = hist.sum()
    return hist / total if total > 0 else hist


def scale_degrees(hist: np.ndarray, *, min_separation: float = 60.0, min_height: float = 0.04) -> list[Degree]:
    """Peaks of the folded histogram, refined by a parabola through the top three bins."""
    from scipy.signal import find_peaks  # as above: a web process reads degrees, never finds them

    if hist.sum() <= 0:
        return []
    n = len(hist)
    tripled = np.concatenate([hist, hist, hist])  # circular peak finding
    peaks, _ = find_peaks(tripled, height=hist.max() * min_height, distance=int(min_separation / BIN_CENTS))
    peaks = [p - n for p in peaks if n <= p < 2 * n]
    degrees = []
    for p in peaks:
        left, mid, right = hist[(p - 1) % n], hist[p], hist[(p + 1) % n]
        denom = left - 2 * mid + right
        offset = 0.5 * (left - right) / denom if denom != 0 else 0.0
        cents = ((p + 0.5 + offset) * BIN_CENTS) % 1200
        lo, hi = p - int(40 / BIN_CENTS), p + int(40 / BIN_CENTS)
        weight = float(hist[np.arange(lo, hi + 1) % n].sum())
        degrees.append(Degree(cents=round(float(cents), 1), weight=round(weight, 4)))
    # the tonic's own peak may sit just below 1200: name it 0
    degrees = [Degree(cents=0.0 if d.cents > 1200 - 30 else d.cents, weight=d.weight) for d in degrees]
    return sorted(degrees, key=lambda d: d.cents)


def nearest_degree(cents: float, degrees: list[Degree]) -> tuple[int | None, float | None]:
    """Index of the nearest scale degree (octave-folded) and the signed deviation from it in cents."""
    if not degrees:
        return None, None
    folded = cents % 1200
    best, best_dev = None, None
    for i, d in enumerate(degrees):
        dev = (folded - d.cents + 600) % 1200 - 600
        if best_dev is None or abs(dev) < abs(best_dev):
            best, best_dev = i, dev
    return best, round(float(best_dev), 1)
