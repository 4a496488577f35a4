"""The harmonic timbre of a tradition's voices and instruments, measured on its recordings:
the relative amplitude of the first harmonics in the middle of each sustained note. The
study examples' synthesiser plays with these amplitudes."""
from __future__ import annotations

import numpy as np

HARMONICS = 8
MIN_NOTE_SECONDS = 0.15
WINDOW_SECONDS = 0.1


def harmonic_amplitudes(audio: np.ndarray, rate: int, notes: list[dict], *, harmonics: int = HARMONICS,
                        max_notes: int = 200) -> list[float] | None:
    """Median over notes of each harmonic's peak magnitude relative to the fundamental's (the
    fundamental is 1). ``notes`` carry onset, duration and hz. None when no note is long enough."""
    return harmonic_amplitudes_read(lambda start, count: audio[start:start + count], len(audio), rate, notes,
                                    harmonics=harmonics, max_notes=max_notes)


def harmonic_amplitudes_read(read, length: int, rate: int, notes: list[dict], *, harmonics: int = HARMONICS,
                             max_notes: int = 200) -> list[float] | None:
    """The same, reading only a short window per note through ``read(start, count)`` (mono
    samples), so an hours-long recording is never loaded whole."""
    window = int(WINDOW_SECONDS * rate)
    taper = np.hanning(window)
    size = 1 << int(np.ceil(np.log2(window * 4)))
    freqs = np.fft.rfftfreq(size, 1.0 / rate)
    rows = []
    for note in [n for n in notes if n.get("duration", 0) >= MIN_NOTE_SECONDS and n.get("hz")][:max_notes]:
        middle = int((note["onset"] + note["duration"] / 2) * rate)
        start = middle - window // 2
        if start < 0 or start + window > length:
            continue
        chunk = read(start, window)
        if len(chunk) < window:
            continue
        spectrum = np.abs(np.fft.rfft(chunk * taper, size))
        row = []
        for k in range(1, harmonics + 1):
            f = note["hz"] * k
            if f * 1.03 >= rate / 2:
                row.append(0.0)
                continue
            band = (freqs >= f * 0.97) & (freqs <= f * 1.03)
            row.append(float(spectrum[band].max()) if band.any() else 0.0)
        if row[0] > 0:
            rows.append(np.array(row) / row[0])
    if not rows:
        return None
    return [round(float(v), 4) for v in np.median(np.array(rows), axis=0)]


def mean_timbre(timbres: list[list[float]]) -> list[float] | None:
    usable = [t for t in timbres if t]
    if not usable:
        return None
    return [round(float(v), 4) for v in np.mean(np.array(usable), axis=0)]
