"""The tonic. TonicIndianArtMusic is built for drone-based music and is wrong elsewhere,
so it is used only when the tradition has a drone. Otherwise the tonic is read from the
pitch distribution: the stable pitch classes are candidates, and the one the melody comes
to rest on at its end (the final, karar) is preferred."""
from dataclasses import dataclass

import numpy as np

from .pitch import PitchTrack
from .tuning import folded_histogram, scale_degrees

REFERENCE_HZ = 55.0


@dataclass
class Tonic:
    hz: float
    method: str
    confidence: float


def final_note_hz(track: PitchTrack, *, min_seconds: float = 0.15) -> float | None:
    """The median pitch of the last steady voiced stretch of the recording."""
    cents = track.stable_cents(REFERENCE_HZ)
    voiced = np.flatnonzero(~np.isnan(cents))
    if len(voiced) == 0:
        return None
    need = int(min_seconds / 0.01)
    end = voiced[-1]
    i = end
    while i > 0 and not np.isnan(cents[i - 1]) and abs(cents[i - 1] - np.median(cents[i:end + 1])) < 50:
        i -= 1
    if end - i + 1 < need:
        return None
    return float(REFERENCE_HZ * 2 ** (np.median(cents[i:end + 1]) / 1200))


def estimate_tonic(track: PitchTrack, *, audio: np.ndarray | None = None, rate: int = 44100,
                   drone: bool = False) -> Tonic | None:
    if drone and audio is not None:
        import essentia.standard as es

        hz = float(es.TonicIndianArtMusic(sampleRate=rate)(audio))
        return Tonic(hz=round(hz, 2), method="drone (TonicIndianArtMusic)", confidence=0.7) if hz > 0 else None
    if track.voiced.sum() < 20:
        return None
    hist = folded_histogram(track, REFERENCE_HZ)
    candidates = scale_degrees(hist, min_height=0.15)
    if not candidates:
        return None
    final = final_note_hz(track)
    final_class = (1200 * np.log2(final / REFERENCE_HZ)) % 1200 if final else None
    scored = []
    for d in candidates:
        score = d.weight
        matches_final = final_class is not None and abs((d.cents - final_class + 600) % 1200 - 600) < 50
        if matches_final:
            score += 0.5
        scored.append((score, d, matches_final))
    scored.sort(key=lambda s: s[0], reverse=True)
    best_score, best, matched = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    confidence = best_score / (best_score + runner_up) if best_score + runner_up > 0 else 0.0
    hz = _place_in_octave(track, best.cents, final if matched else None)
    return Tonic(hz=round(hz, 2), method="final note" if matched else "most prominent pitch class",
                 confidence=round(float(confidence), 3))


def _place_in_octave(track: PitchTrack, pitch_class_cents: float, final_hz: float | None) -> float:
    """The octave of the final note when it is the tonic; else the octave nearest the melody's low register."""
    if final_hz:
        base_cents = 1200 * np.log2(final_hz / REFERENCE_HZ)
    else:
        cents = track.cents(REFERENCE_HZ)
        base_cents = float(np.nanpercentile(cents, 20))
    octave = np.round((base_cents - pitch_class_cents) / 1200)
    return float(REFERENCE_HZ * 2 ** ((pitch_class_cents + 1200 * octave) / 1200))
