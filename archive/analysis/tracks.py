"""Pitch tracks computed elsewhere (e.g. a dataset's own melody extraction) brought onto
the analyser's 10 ms grid, so tonic and tuning can be measured without the audio."""
import numpy as np

from .pitch import HOP_SECONDS, PitchTrack


def track_from_series(hz: np.ndarray, hop_seconds: float) -> PitchTrack:
    hz = np.asarray(hz, dtype=float)
    times_in = np.arange(len(hz)) * hop_seconds
    times = np.arange(0, times_in[-1] if len(hz) else 0, HOP_SECONDS)
    idx = np.clip(np.searchsorted(times_in, times), 0, max(len(hz) - 1, 0))
    grid = np.where(hz[idx] > 0, hz[idx], 0.0) if len(hz) else np.zeros(0)
    return PitchTrack(times=times, hz=grid, confidence=(grid > 0).astype(float))
