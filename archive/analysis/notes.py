"""The contour segmented into notes (onset, duration, pitch in cents from the tonic, nearest
scale degree, a confidence): the transcription style models learn from. Microtones come from the
contour itself, never from a rounded MIDI number.

Measured on the real solo voice of vocadito (two annotators; `make bench`), each step below moved
the note F-measure (onset 50 ms, pitch 50 cents) there, and none lost anything on the synthetic set:
- a boundary found on the vibrato-smoothed contour is placed where the raw contour crosses the
  middle between the two pitches: smoothing alone put it up to half a window early or late;
- a note begins where the voice reaches its full level (within RISE_DB of the note's peak): the
  breath or consonant before the vowel already has a pitch but is not yet the note;
- a note sung again on the same pitch is told by the short dip in level between the two, read from
  a 20 ms level (a 40 ms one smeared it away, merging repeated notes);
- a stretch of the contour an octave from the half second around it is folded back: the tracker
  slipped onto a harmonic (alone it changed nothing on vocadito; with the others it added 0.016);
- "notes" far outside the performance's own range (more than RANGE_CENTS from its median pitch,
  weighted by duration) are not notes: fricatives and breaths that the tracker read at two or
  three octaves above the voice."""
from dataclasses import asdict, dataclass, replace

import numpy as np

from .pitch import HOP_SECONDS, PitchTrack
from .tuning import Degree, nearest_degree

SPLIT_CENTS = 60.0
MIN_NOTE_SECONDS = 0.1
SMOOTH_FRAMES = 9  # 90 ms: averages out vibrato before deciding where notes change
REFINE_FRAMES = 6  # how far the raw contour's crossing may move a boundary (60 ms)
RISE_DB = 6.0
RANGE_CENTS = 1500.0  # an octave and a fifth either side of the median: over two and a half octaves in all
QUIET_DB = 40.0  # the level under the loud frames at which a note's confidence reaches 0
OCTAVE_WINDOW = 51  # frames (half a second) whose median pitch a stretch an octave away is folded to
OCTAVE_TOLERANCE = 150.0  # cents either side of 1200 that count as the same pitch an octave off


@dataclass(frozen=True)
class Segmentation:
    """Which of the steps above run (all, by default); `make bench` measures each against none."""
    refine_boundaries: bool = True
    start_at_full_level: bool = True
    within_range: bool = True
    short_dips: bool = True  # re-articulations read from the 20 ms level (pitch.ARTICULATION_WINDOW)
    fold_octaves: bool = True  # a tracker's octave slips folded back (fold_octave_slips)

    @classmethod
    def before_1_1(cls) -> "Segmentation":
        """The segmentation of analyser 1.0: none of the five steps."""
        return cls(refine_boundaries=False, start_at_full_level=False, within_range=False, short_dips=False,
                   fold_octaves=False)

    def but(self, **changes) -> "Segmentation":
        return replace(self, **changes)


DEFAULT = Segmentation()


@dataclass
class Note:
    onset: float
    duration: float
    hz: float
    cents: float            # from the tonic
    degree: int | None      # index into the pitch set
    deviation: float | None  # cents from that degree
    confidence: float | None = None  # 0..1: loud, steady and long enough (None: made before it was measured)

    def as_dict(self) -> dict:
        return asdict(self)


def segment_notes(track: PitchTrack, tonic_hz: float, degrees: list[Degree],
                  onsets: list[float] | None = None, *, steps: Segmentation = DEFAULT) -> list[Note]:
    """Notes change where the (vibrato-smoothed) pitch moves, where the voice stops, and at
    detected onsets: a re-articulated note on the same pitch is a new note."""
    cents = track.cents(tonic_hz)
    if steps.fold_octaves:
        cents = fold_octave_slips(cents)
    dip_level = track.articulation_db if steps.short_dips and track.articulation_db is not None else track.level_db
    cuts = set(level_dips(dip_level)) if dip_level is not None else set()
    for t in onsets or []:
        frame = int(round(t / HOP_SECONDS))
        if 0 < frame < len(cents):
            cuts.add(frame)
    loud = float(np.percentile(track.level_db, 95)) if track.level_db is not None and len(track.level_db) else None
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
        for a, b in _boundaries(cents[i:j], i, cuts, steps.refine_boundaries):
            note = _note(cents, track.level_db if steps.start_at_full_level else None, i + a, i + b, tonic_hz,
                         degrees, loud, confidence_level=track.level_db)
            if note is not None:
                notes.append(note)
        i = j
    return within_range(notes) if steps.within_range else notes


def fold_octave_slips(cents: np.ndarray) -> np.ndarray:
    """Frames an octave away from the median of the half second around them are the tracker's
    slips onto a harmonic or a subharmonic: they are folded back to that median's octave. A real
    leap to another octave is kept, since once held the median follows it (a centred window flips
    at the leap itself). Two octaves away is not a slip but a breath or a fricative read on a high
    harmonic (within_range leaves those out): folded, they became notes no one sang (measured)."""
    from scipy.ndimage import median_filter  # scipy loads where notes are made (the worker), not where they are read

    out = cents.copy()
    voiced = ~np.isnan(cents)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], voiced.astype(int), [0]])))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        run = cents[start:stop]
        if len(run) < 5:
            continue
        reference = median_filter(run, size=min(OCTAVE_WINDOW, len(run) | 1), mode="nearest")
        octaves = np.round((run - reference) / 1200.0)
        slipped = (np.abs(octaves) == 1) & (np.abs(run - reference - 1200.0 * octaves) <= OCTAVE_TOLERANCE)
        out[start:stop] = np.where(slipped, run - 1200.0 * octaves, run)
    return out


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


def _crossing(run: np.ndarray, k: int, low: int, before: float, after: float) -> int:
    """Where the raw contour near ``k`` first reaches the far side of the middle between the
    pitch before and the pitch after (``k`` itself when it does not within REFINE_FRAMES)."""
    middle = (before + after) / 2
    lo, hi = max(low + 1, k - REFINE_FRAMES), min(len(run) - 1, k + REFINE_FRAMES)
    across = np.flatnonzero(np.sign(run[lo:hi] - middle) == np.sign(after - middle))
    return lo + int(across[0]) if len(across) else k


def _boundaries(run: np.ndarray, start: int, cuts: set[int], refine: bool) -> list[tuple[int, int]]:
    """(first, past-last) frames of each note in one voiced run."""
    from scipy.ndimage import uniform_filter1d  # as above: a web process reads notes, never makes them

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
                if refine:
                    k = _crossing(run, k, begin, ref, float(np.median(smooth[k:k + 10])))
                bounds.append((begin, k))
                begin = k
        k += 1
    bounds.append((begin, len(run)))
    return bounds


def _note(cents: np.ndarray, level_db, a: int, b: int, tonic_hz: float, degrees, loud, *,
          confidence_level) -> Note | None:
    if level_db is not None and b - a > 3:  # the note begins where the voice is at its full level
        here = level_db[a:b]
        a += min(int(np.argmax(here >= here.max() - RISE_DB)), (b - a) // 2)
    if b - a < int(round(MIN_NOTE_SECONDS / HOP_SECONDS)):
        return None
    core = cents[a:b]
    if b - a > 6:  # leave out the glide at either end
        core = core[2:-2]
    c = float(np.median(core))
    degree, deviation = nearest_degree(c, degrees)
    return Note(onset=round(a * HOP_SECONDS, 3), duration=round((b - a) * HOP_SECONDS, 3),
                hz=round(float(tonic_hz * 2 ** (c / 1200)), 3), cents=round(c, 1), degree=degree,
                deviation=deviation, confidence=_confidence(
                    core, confidence_level[a:b] if confidence_level is not None else None, b - a, loud))


def _confidence(core: np.ndarray, level, frames: int, loud) -> float:
    """Loud (its peak against the recording's loud frames), steady (the spread of its pitch
    after the glides) and long enough (a tenth of a second is the shortest note kept, a fifth
    counts in full), each 0..1, multiplied."""
    loudness = 1.0 if level is None or loud is None else float(np.clip(1 - (loud - level.max()) / QUIET_DB, 0, 1))
    steadiness = float(np.exp(-np.std(core) / 100.0))
    length = min(1.0, frames * HOP_SECONDS / 0.2)
    return round(loudness * steadiness * length, 2)


def within_range(notes: list[Note]) -> list[Note]:
    """The notes within RANGE_CENTS of the performance's median pitch (weighted by duration)."""
    if not notes:
        return notes
    cents = np.array([n.cents for n in notes])
    weights = np.cumsum(np.array([n.duration for n in notes])[np.argsort(cents)])
    median = np.sort(cents)[np.searchsorted(weights, weights[-1] / 2)]
    return [n for n in notes if abs(n.cents - median) <= RANGE_CENTS]
