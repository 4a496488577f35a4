"""Synthetic recordings with known truth, for measuring the analysis: melodies on scales that
are not 12-TET (makam-like, quarter-tone, just), with vibrato, noise, an optional drone and
different tonics. Each stands for a solo melodic line, as a singer or a reed would play it."""
from dataclasses import dataclass

import numpy as np

RATE = 44100
SCALES = {
    "hicaz-like": [0, 114, 384, 498, 702, 792, 1020],
    "rast-quarter-tone": [0, 204, 351, 498, 702, 906, 1053],
    "just-major": [0, 204, 386, 498, 702, 884, 1088],
    "pelog-like": [0, 120, 270, 540, 670, 785, 950],
    "pentatonic-wide": [0, 230, 470, 710, 940],
    "saba-like": [0, 150, 294, 405, 702, 792, 996],
}


@dataclass
class Truth:
    tonic_hz: float
    scale: list[float]
    notes: list[tuple[float, float, float]]  # onset, offset, hz
    f0_times: np.ndarray
    f0_hz: np.ndarray


def melody(seed: int, *, scale: str | None = None, seconds: float = 10.0, tonic_hz: float | None = None,
           vibrato_cents: float | None = None, snr_db: float = 25.0, drone: bool = False) -> tuple[np.ndarray, Truth]:
    rng = np.random.default_rng(seed)
    name = scale or list(SCALES)[seed % len(SCALES)]
    steps = SCALES[name]
    tonic = tonic_hz or float(rng.uniform(110, 330))
    vib = vibrato_cents if vibrato_cents is not None else float(rng.uniform(0, 35))
    # A walk over the degrees (one octave and the upper tonic), resting on the tonic often and at the end.
    pitches = list(steps) + [1200]
    idx, t, notes = 0, 0.3, []
    while t < seconds - 2.2:
        dur = float(rng.choice([0.25, 0.35, 0.5, 0.7]))
        cents = pitches[idx]
        notes.append((t, t + dur, tonic * 2 ** (cents / 1200)))
        t += dur + (0.04 if rng.random() < 0.3 else 0.0)
        move = int(rng.choice([-2, -1, -1, 1, 1, 2]))
        idx = int(np.clip(idx + move, 0, len(pitches) - 1))
        if rng.random() < 0.15:
            idx = 0
    notes.append((t, t + 1.2, tonic))  # the final rests on the tonic
    total = int(seconds * RATE)
    audio = np.zeros(total)
    f0 = np.zeros(total)
    for onset, offset, hz in notes:
        a, b = int(onset * RATE), min(int(offset * RATE), total)
        f0[a:b] = hz
    phase_vib = 2 * np.pi * 5.5 * np.arange(total) / RATE
    inst = np.where(f0 > 0, f0 * 2 ** (vib * np.sin(phase_vib) / 1200), 0.0)
    phase = 2 * np.pi * np.cumsum(inst) / RATE
    envelope = np.zeros(total)
    for onset, offset, _ in notes:
        a, b = int(onset * RATE), min(int(offset * RATE), total)
        n = b - a
        env = np.ones(n)
        ramp = min(int(0.02 * RATE), n // 4)
        env[:ramp] = np.linspace(0, 1, ramp)
        env[n - ramp:] = np.linspace(1, 0, ramp)
        envelope[a:b] = env
    for k, amp in enumerate([1.0, 0.5, 0.3, 0.15, 0.08], start=1):
        audio += amp * np.sin(k * phase)
    audio *= 0.3 * envelope
    if drone:
        dt = np.arange(total) / RATE
        audio += 0.06 * (np.sin(2 * np.pi * tonic / 2 * dt) + 0.5 * np.sin(2 * np.pi * tonic * 0.75 * dt))
    signal_power = np.mean(audio[envelope > 0] ** 2) if np.any(envelope > 0) else 1.0
    audio += rng.normal(0, np.sqrt(signal_power / 10 ** (snr_db / 10)), total)
    hop = int(0.01 * RATE)
    times = np.arange(0, total, hop) / RATE
    f0_hz = f0[::hop] * 2 ** (vib * np.sin(phase_vib[::hop]) / 1200) * (f0[::hop] > 0)
    truth = Truth(tonic_hz=tonic, scale=list(steps), notes=notes, f0_times=times, f0_hz=f0_hz)
    return audio.astype(np.float32), truth


def write_melody(path, seed: int, **kwargs) -> Truth:
    import soundfile as sf

    audio, truth = melody(seed, **kwargs)
    sf.write(str(path), audio, RATE, subtype="PCM_24")
    return truth
