"""A fixed-length, L2-normalised feature vector for similarity search: pitch set, intervals,
timbre (MFCC means and variances) and rhythm statistics, each group weighted equally."""
import numpy as np

from .notes import Note

DIMENSIONS = 24 + 25 + 26 + 5


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v)
    return v / norm if norm > 0 else v


def pitch_set_profile(folded_hist_1cent: np.ndarray) -> np.ndarray:
    """24 bins of 50 cents (centred on 0, 50, …) from the tonic-relative 1-cent histogram."""
    if not len(folded_hist_1cent):
        return np.zeros(24)
    shifted = np.roll(folded_hist_1cent, 25)
    return shifted.reshape(24, 50).sum(axis=1)


def interval_profile(notes: list[Note]) -> np.ndarray:
    """Note-to-note intervals in 100-cent bins from −1200 to +1200."""
    if len(notes) < 2:
        return np.zeros(25)
    steps = np.clip(np.diff([n.cents for n in notes]), -1200, 1200)
    hist, _ = np.histogram(steps, bins=25, range=(-1250, 1250))
    return hist.astype(float)


def timbre_profile(audio: np.ndarray, rate: int) -> np.ndarray:
    import essentia.standard as es

    window, spectrum, mfcc = es.Windowing(type="hann"), es.Spectrum(), es.MFCC(sampleRate=rate)
    # Frames sliced from the array one by one: essentia's FrameGenerator would first copy all of it.
    coefficients = [mfcc(spectrum(window(audio[start:start + 2048])))[1]
                    for start in range(0, len(audio) - 2048 + 1, 4096)]
    if not coefficients:
        return np.zeros(26)
    c = np.asarray(coefficients)
    return np.concatenate([c.mean(axis=0), c.var(axis=0) ** 0.5])


def rhythm_profile(*, onset_rate: float, tempo_bpm: float | None, pulse_confidence: float, duration: float,
                   silence_share: float | None) -> np.ndarray:
    return np.array([onset_rate / 10, (tempo_bpm or 0) / 200, pulse_confidence, np.log1p(duration) / 10,
                     silence_share or 0.0])


def feature_vector(*, folded_hist: np.ndarray, notes: list[Note], audio: np.ndarray, rate: int, onset_rate: float,
                   tempo_bpm: float | None, pulse_confidence: float, duration: float,
                   silence_share: float | None) -> np.ndarray:
    timbre = timbre_profile(audio, rate)
    timbre = (timbre - timbre.mean()) if timbre.any() else timbre
    parts = [pitch_set_profile(folded_hist), interval_profile(notes), timbre,
             rhythm_profile(onset_rate=onset_rate, tempo_bpm=tempo_bpm, pulse_confidence=pulse_confidence,
                            duration=duration, silence_share=silence_share)]
    vector = np.concatenate([_unit(p.astype(float)) for p in parts])
    return _unit(vector)
