"""EBU R128 / ITU-R BS.1770 integrated loudness and loudness range, and the share of
near-silence, for a mono signal. K-weighting runs as two scipy biquads chunk by chunk on
float32 with the filter state carried over, so memory stays flat on a two-hour recording
(essentia's LoudnessEBUR128 wants a stereo copy of everything and is several times slower)."""
import numpy as np
from scipy.signal import lfilter, lfilter_zi

CHUNK = 1 << 20


def k_weighting(rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """BS.1770's pre-filter (high shelf) and RLB high-pass, designed for this sample rate
    from their analogue prototypes (the published 48 kHz coefficients are these at 48 kHz)."""
    # High shelf: +4 dB above ~1.5 kHz (Q 0.7071); high-pass at 38 Hz (Q 0.5).
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = np.tan(np.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf_b = np.array([(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0])
    shelf_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    f0, q = 38.13547087602444, 0.5003270373238773
    k = np.tan(np.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    hp_b = np.array([1.0, -2.0, 1.0])
    hp_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return [(shelf_b, shelf_a), (hp_b, hp_a)]


def _block_energies(audio: np.ndarray, rate: int) -> np.ndarray:
    """Mean square of the K-weighted signal in 100 ms steps."""
    step = int(0.1 * rate)
    filters = k_weighting(rate)
    states = [lfilter_zi(b, a) * 0.0 for b, a in filters]
    sums, carry = [], np.zeros(0, dtype=np.float64)
    for start in range(0, len(audio), CHUNK):
        x = audio[start:start + CHUNK].astype(np.float64)
        for i, (b, a) in enumerate(filters):
            x, states[i] = lfilter(b, a, x, zi=states[i])
        x = np.concatenate([carry, x * x])
        whole = len(x) // step * step
        sums.append(x[:whole].reshape(-1, step).mean(axis=1))
        carry = x[whole:]
    return np.concatenate(sums) if sums else np.zeros(0)


def _windowed(energies: np.ndarray, blocks: int) -> np.ndarray:
    """Loudness of overlapping windows of ``blocks`` 100 ms steps (4: momentary, 30: short-term)."""
    if len(energies) < blocks:
        return np.zeros(0)
    c = np.concatenate([[0.0], np.cumsum(energies)])
    mean = (c[blocks:] - c[:-blocks]) / blocks
    return -0.691 + 10 * np.log10(np.maximum(mean, 1e-20))


def loudness(audio: np.ndarray, rate: int = 44100) -> dict:
    energies = _block_energies(audio, rate)
    momentary, short_term = _windowed(energies, 4), _windowed(energies, 30)
    return {"integrated_lufs": _integrated(momentary), "range_lu": _range(short_term),
            "silence_share": round(float(np.mean(momentary < -60)), 4) if len(momentary) else None}


def _gate(values: np.ndarray, relative: float) -> np.ndarray:
    above = values[values > -70]
    if not len(above):
        return above
    mean = 10 * np.log10(np.mean(10 ** (above / 10)))
    return above[above > mean + relative]


def _integrated(momentary: np.ndarray) -> float | None:
    gated = _gate(momentary, -10)
    return round(float(10 * np.log10(np.mean(10 ** (gated / 10)))), 2) if len(gated) else None


def _range(short_term: np.ndarray) -> float | None:
    gated = _gate(short_term, -20)
    if len(gated) < 2:
        return None
    return round(float(np.percentile(gated, 95) - np.percentile(gated, 10)), 2)
