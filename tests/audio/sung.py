"""A notated melody sung, with known truth: what a field recording of an oral tradition sounds
like to the analysis. Each note glides in from the last (portamento, now and then a scoop from
below), vibrato sets in after the onset, the pitch drifts a little, phrases are separated by a
breath, a room adds reverb, and the performance ends on the piece's final note, held. The tonic
is the piece's own; the truth is the notes as notated, in cents above it. Words are sung: a new
syllable dips the voice for its consonant, always where a pitch is repeated (else the repetition
could not be heard, by a listener or the analysis), on about half of the other notes."""
from dataclasses import dataclass

import numpy as np
from scipy.signal import fftconvolve

RATE = 44100
FORMANTS = ((700.0, 110.0, 1.0), (1220.0, 120.0, 0.5), (2600.0, 160.0, 0.25))  # an open "a": Hz, bandwidth, gain


@dataclass
class SungTruth:
    tonic_hz: float
    notes: list[tuple[float | None, float]]  # (cents above the tonic or None for a breath, seconds), as sung
    seconds: float


def performed(notes: list[tuple[float | None, float]], final_cents: float, *, seconds: float) -> list[tuple[float | None, float]]:
    """The opening of a piece, about ``seconds`` long, cut where a phrase comes to rest on the
    final (as a singer ends an excerpt), else with the final appended; the final is held."""
    out, elapsed = [], 0.0
    for i, (cents, length) in enumerate(notes):
        out.append((cents, length))
        elapsed += length
        ends_phrase = i + 1 == len(notes) or notes[i + 1][0] is None
        if elapsed >= seconds and cents == final_cents and ends_phrase:
            break
        if elapsed >= seconds * 1.3:
            while out and out[-1][0] is None:
                out.pop()
            out.append((final_cents, 1.5))
            break
    cents, length = out[-1]
    out[-1] = (cents, max(length, 1.5))
    return out


def _formant_gain(hz: np.ndarray) -> np.ndarray:
    """The vocal tract's resonances over a flat floor (the source's own slope is applied apart)."""
    gain = np.full(hz.shape, 0.3)
    for centre, width, level in FORMANTS:
        gain += level / (1.0 + ((hz - centre) / width) ** 2)
    return gain


def _room(rng: np.random.Generator, rt60: float) -> np.ndarray:
    length = int(rt60 * RATE)
    decay = np.exp(-6.9 * np.arange(length) / length)
    response = rng.normal(0, 1, length) * decay
    response[0] = 0.0
    return response / np.sqrt(np.sum(response ** 2))


def sing(notes: list[tuple[float | None, float]], *, tonic_hz: float, seed: int, reverb: float = 0.25,
         snr_db: float = 30.0) -> tuple[np.ndarray, SungTruth]:
    """``notes``: (cents above the tonic, or None for a rest, seconds). Returns mono float32 at RATE."""
    rng = np.random.default_rng(seed)
    total = int((sum(length for _c, length in notes) + 1.0) * RATE)
    cents = np.full(total, np.nan)
    loud = np.zeros(total)
    breath = np.zeros(total)
    vibrato_rate, vibrato_depth = rng.uniform(5.0, 6.5), rng.uniform(15.0, 35.0)
    position, previous = int(0.3 * RATE), None
    for pitch, length in notes:
        a, b = position, min(total, position + int(length * RATE))
        position = b
        if pitch is None:
            span = min(b - a, int(0.35 * RATE))
            breath[b - span:b] = np.hanning(span) * 0.04  # an in-breath before the next phrase
            previous = None
            continue
        t = np.arange(b - a) / RATE
        contour = np.full(b - a, float(pitch))
        glide = min(len(t), int(rng.uniform(0.05, 0.09) * RATE))
        if previous is not None:
            contour[:glide] = previous + (pitch - previous) * (1 - np.cos(np.linspace(0, np.pi, glide))) / 2
        elif rng.random() < 0.4:  # a scoop up into a phrase's first note
            contour[:glide] = pitch - 80.0 * np.cos(np.linspace(0, np.pi / 2, glide))
        onset_vibrato = np.clip((t - 0.2) / 0.2, 0.0, 1.0)
        contour += vibrato_depth * onset_vibrato * np.sin(2 * np.pi * vibrato_rate * t + rng.uniform(0, 2 * np.pi))
        contour += _drift(rng, len(t))
        cents[a:b] = contour
        envelope = np.ones(b - a)
        # a new syllable: a consonant's dip before the vowel, always where the pitch repeats (or the
        # repetition could not be heard), on half the other notes; else the voice slides on legato
        syllable = previous is None or previous == pitch or rng.random() < 0.5
        floor = 0.0 if previous is None else (rng.uniform(0.0, 0.25) if syllable else 0.7)
        closure = int(rng.uniform(0.04, 0.08) * RATE) if syllable and previous is not None else 0
        closure = min(closure, len(t) // 3)
        attack, release = min(len(t) // 3, int(0.03 * RATE)), min(len(t) // 3, int(0.02 * RATE))
        envelope[:closure] = floor
        envelope[closure:closure + attack] = np.linspace(floor, 1.0, attack)
        envelope[len(t) - release:] = np.linspace(1.0, 0.7, release)
        loud[a:b] = envelope * rng.uniform(0.8, 1.0)
        previous = float(pitch)
    voiced = ~np.isnan(cents)
    hz = np.where(voiced, tonic_hz * 2 ** (np.nan_to_num(cents) / 1200.0), 0.0)
    phase = 2 * np.pi * np.cumsum(hz) / RATE
    audio = np.zeros(total)
    for k in range(1, 16):
        partial = k * hz
        audio += np.where(partial < RATE / 2 - 1000, _formant_gain(partial), 0.0) * np.sin(k * phase) / k  # -6 dB/octave
    audio *= 0.25 * loud / max(1e-9, float(np.max(np.abs(audio))))
    audio += breath * rng.normal(0, 1, total)
    if reverb:
        audio = (1 - reverb) * audio + reverb * fftconvolve(audio, _room(rng, 0.7))[:total]
    power = float(np.mean(audio[voiced] ** 2)) if voiced.any() else 1.0
    audio += rng.normal(0, np.sqrt(power / 10 ** (snr_db / 10)), total)
    audio *= 0.5 / max(1e-9, float(np.max(np.abs(audio))))
    return audio.astype(np.float32), SungTruth(tonic_hz=tonic_hz, notes=list(notes), seconds=total / RATE)


def _drift(rng: np.random.Generator, n: int) -> np.ndarray:
    """A slow wander of a few cents, as a voice never holds a pitch exactly."""
    knots = rng.normal(0, 4.0, max(2, n // 4410 + 2))
    return np.interp(np.arange(n), np.linspace(0, n, len(knots)), knots)
