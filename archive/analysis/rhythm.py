"""Onsets, onset rate, and where there is a pulse, tempo and beats with a confidence
that says when there is none (free rhythm)."""
from dataclasses import dataclass, field

import numpy as np

MAX_CONFIDENCE = 5.32
PULSE_THRESHOLD = 1.5 / MAX_CONFIDENCE


@dataclass
class Rhythm:
    onsets: list[float] = field(default_factory=list)
    onset_rate: float = 0.0
    tempo_bpm: float | None = None
    beats: list[float] = field(default_factory=list)
    pulse_confidence: float = 0.0


CHUNK_SECONDS = 300.0
OVERLAP_SECONDS = 5.0


def analyse_rhythm(audio: np.ndarray, rate: int = 44100) -> Rhythm:
    """Onsets and beats five minutes at a time (overlaps cut in the middle); the tempo is the
    median of the chunks' tempi, weighted by length; the pulse confidence is read on an excerpt."""
    import essentia.standard as es

    total = len(audio) / rate
    onsets, beats, tempi = [], [], []
    start = 0.0
    while start < total:
        end = min(total, start + CHUNK_SECONDS)
        lo, hi = max(0.0, start - OVERLAP_SECONDS), min(total, end + OVERLAP_SECONDS)
        chunk = audio[int(lo * rate):int(hi * rate)]
        chunk_onsets, _rate = es.OnsetRate()(chunk)
        onsets += [lo + float(t) for t in chunk_onsets if start <= lo + t < end]
        if len(chunk_onsets) >= 4:
            bpm, ticks, _c, _e, _i = es.RhythmExtractor2013(method="degara")(chunk)
            beats += [lo + float(t) for t in ticks if start <= lo + t < end]
            if bpm > 0:
                tempi.append((float(bpm), end - start))
        start = end
    onset_rate = len(onsets) / total if total else 0.0
    if len(onsets) < 4 or not tempi:
        return Rhythm(onsets=[round(t, 3) for t in onsets], onset_rate=round(onset_rate, 3))
    confidence = pulse_confidence(audio, rate)
    bpm = _weighted_median(tempi)
    tempo = round(bpm, 2) if confidence >= PULSE_THRESHOLD else None
    return Rhythm(onsets=[round(t, 3) for t in onsets], onset_rate=round(onset_rate, 3), tempo_bpm=tempo,
                  beats=[round(t, 3) for t in beats] if tempo else [], pulse_confidence=round(confidence, 3))


def _weighted_median(pairs: list[tuple[float, float]]) -> float:
    pairs = sorted(pairs)
    half, acc = sum(w for _, w in pairs) / 2, 0.0
    for value, weight in pairs:
        acc += weight
        if acc >= half:
            return value
    return pairs[-1][0]


def pulse_confidence(audio: np.ndarray, rate: int, *, excerpt_seconds: float = 90.0) -> float:
    """RhythmExtractor2013's multifeature confidence (0–5.32; under 1.5 means no reliable pulse),
    scaled to 0..1, measured on an excerpt from the middle: the slow tracker need not read it all."""
    import essentia.standard as es

    n = int(excerpt_seconds * rate)
    start = max(0, (len(audio) - n) // 2)
    _bpm, _ticks, confidence, _estimates, _intervals = es.RhythmExtractor2013(method="multifeature")(
        audio[start:start + n])
    return round(float(confidence) / MAX_CONFIDENCE, 3)
