"""The contour segmented into notes (onset, duration, pitch in cents from the tonic, nearest
scale degree): the transcription style models learn from. Microtones come from the contour
itself, never from a rounded MIDI number."""
from dataclasses import asdict, dataclass

import numpy as np
from scipy.ndimage import uniform_filter1d

from .pitch import HOP_SECONDS, PitchTrack
from .tuning import Degree, nearest_degree

SPLIT_CENTS = 60.0
MIN_NOTE_SECONDS = 0.1
SMOOTH_FRAMES = 9  # 90 ms: averages out vibrato before deciding where notes change


@dataclass
class Note:
    onset: float
    duration: float
    hz: float
    cents: float            # from the tonic
    degree: int | None      # index into the pitch set
    deviation: float | None  # cents from that degree

    def as_dict(self) -> dict:
        return asdict(self)


def segment_notes(track: PitchTrack, tonic_hz: float, degrees: list[Degree],
                  onsets: list[float] | None = None) -> list[Note]:
    """Notes change where the (vibrato-smoothed) pitch moves, where the voice stops, and at
    detected onsets: a re-articulated note on the same pitch is a new note."""
    cents = track.cents(tonic_hz)
    cuts = set(level_dips(track.level_db)) if track.level_db is not None else set()
    for t in onsets or []:
        frame = int(round(t / HOP_SECONDS))
        if 0 < frame < len(cents):
            cuts.add(frame)
    notes: list[Note] = []
    n = len(cents)
    i = 0
    while i < n:
        if np.isnan(cents[i]):
            i += 1
            continue
        j = i
        while j < n and not np.isnan(cents[j]):
            j += 1
        notes.extend(_split_run(cents[i:j], i, tonic_hz, degrees, cuts))
        i = j
    return notes


def level_dips(level_db: np.ndarray, *, depth_db: float = 8.0, reach: int = 6) -> list[int]:
    """Frames where the level dips at least ``depth_db`` under the peaks on both sides within
    ``reach`` frames: where a note is sung or played again on the same pitch."""
    dips = []
    n = len(level_db)
    for i in range(reach, n - reach):
        here = level_db[i]
        if here > level_db[i - 1] or here > level_db[i + 1]:
            continue
        if level_db[i - reach:i].max() - here >= depth_db and level_db[i + 1:i + reach + 1].max() - here >= depth_db:
            dips.append(i)
    return dips


def _split_run(run: np.ndarray, start: int, tonic_hz: float, degrees, cuts: set[int]) -> list[Note]:
    smooth = uniform_filter1d(run, size=min(SMOOTH_FRAMES, len(run)), mode="nearest")
    bounds, begin = [], 0
    min_frames = int(round(MIN_NOTE_SECONDS / HOP_SECONDS))
    k = 1
    while k < len(run):
        ref = np.median(smooth[begin:k])
        if start + k in cuts and k - begin >= min_frames and len(run) - k >= min_frames:
            bounds.append((begin, k))
            begin = k
        elif abs(smooth[k] - ref) > SPLIT_CENTS:
            # the change is real if it lasts 3 frames
            ahead = smooth[k:k + 3]
            if len(ahead) == 3 and np.all(np.abs(ahead - ref) > SPLIT_CENTS):
                bounds.append((begin, k))
                begin = k
        k += 1
    bounds.append((begin, len(run)))
    out = []
    for a, b in bounds:
        if b - a < min_frames:
            continue
        core = run[a:b]
        if b - a > 6:  # leave out the glide at either end
            core = core[2:-2]
        c = float(np.median(core))
        degree, deviation = nearest_degree(c, degrees)
        out.append(Note(onset=round((start + a) * HOP_SECONDS, 3), duration=round((b - a) * HOP_SECONDS, 3),
                        hz=round(float(tonic_hz * 2 ** (c / 1200)), 3), cents=round(c, 1),
                        degree=degree, deviation=deviation))
    return out
