"""The predominant pitch contour: essentia's PredominantPitchMelodia (robust on real,
polyphonic recordings; guessUnvoiced keeps notes under ~250 Hz), with voicing decided by
energy. Melodia's output sits on a 10-cent grid; what needs finer cents (the histogram,
the tonic, note pitches) averages many frames, which dissolves the grid (measured: scale
degrees within 1 cent median on synthetic recordings; a PitchYinFFT refinement gained
nothing and cost a quarter of the analysis time)."""
from dataclasses import dataclass

import numpy as np

HOP_SECONDS = 0.01


@dataclass
class PitchTrack:
    times: np.ndarray       # seconds, every HOP_SECONDS
    hz: np.ndarray          # 0 where unvoiced
    confidence: np.ndarray  # 0..1
    level_db: np.ndarray | None = None  # 40 ms RMS level per frame: voicing, where a note reaches full voice
    articulation_db: np.ndarray | None = None  # 20 ms RMS level per frame: the short dip of a note sung again

    @property
    def voiced(self) -> np.ndarray:
        return self.hz > 0

    def cents(self, reference_hz: float) -> np.ndarray:
        """Cents relative to a reference; NaN where unvoiced."""
        out = np.full(len(self.hz), np.nan)
        v = self.voiced
        out[v] = 1200 * np.log2(self.hz[v] / reference_hz)
        return out

    def stable_cents(self, reference_hz: float, *, window: int = 15, max_slope: float = 40.0) -> np.ndarray:
        """Cents with vibrato averaged out (a moving mean over about one vibrato cycle, within each
        voiced stretch) and glides between notes left out (NaN): where the pitch dwells.
        Vibrato alone would split each held pitch into two histogram peaks at its extremes."""
        from scipy.ndimage import uniform_filter1d

        raw = self.cents(reference_hz)
        out = np.full(len(raw), np.nan)
        voiced = ~np.isnan(raw)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], voiced.astype(int), [0]])))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            run = raw[start:stop]
            if len(run) < 3:
                continue
            smooth = uniform_filter1d(run, size=min(window, len(run)), mode="nearest")
            slope = np.abs(np.gradient(smooth)) * 6  # cents per 60 ms
            smooth[slope > max_slope] = np.nan
            out[start:stop] = smooth
        return out


# A note sung again on the same pitch dips for a few tens of milliseconds: a 40 ms level smears
# the dip under the threshold, a 20 ms one keeps it (measured: repeated notes on the synthetic
# set found 318 of 396 notes with 40 ms, all with 20 ms; vocadito unchanged).
ARTICULATION_WINDOW = 0.02
CHUNK_SECONDS = 300.0
OVERLAP_SECONDS = 3.0


def track_pitch(audio: np.ndarray, rate: int, *, min_hz: float = 55.0, max_hz: float = 1760.0) -> PitchTrack:
    """The contour on a 10 ms grid. Long recordings go through Melodia five minutes at a time
    (with overlaps cut in the middle), so its working memory does not grow with the recording."""
    total = len(audio) / rate
    times = np.arange(0, total, HOP_SECONDS)
    hz = np.zeros(len(times))
    confidence = np.zeros(len(times))
    level = np.zeros(len(times))
    articulation = np.zeros(len(times))
    start = 0.0
    while start < total:
        end = min(total, start + CHUNK_SECONDS)
        lo, hi = max(0.0, start - OVERLAP_SECONDS), min(total, end + OVERLAP_SECONDS)
        chunk = audio[int(lo * rate):int(hi * rate)]
        keep = (times >= start) & (times < end)
        local = times[keep] - lo
        c_hz, c_conf = _melodia(chunk, rate, local, min_hz, max_hz)
        hz[keep], confidence[keep] = c_hz, c_conf
        level[keep] = frame_level_db(chunk, rate, local)
        articulation[keep] = frame_level_db(chunk, rate, local, window=ARTICULATION_WINDOW)
        start = end
    # guessUnvoiced gives low notes a pitch with zero confidence; silence is told apart by energy instead.
    if len(level):
        hz[level < np.percentile(level, 95) - 40.0] = 0.0
    return PitchTrack(times=times, hz=hz, confidence=np.clip(confidence, 0, 1), level_db=level,
                      articulation_db=articulation)


def _melodia(audio: np.ndarray, rate: int, times: np.ndarray, min_hz: float, max_hz: float):
    import essentia.standard as es
    import soxr

    # Melodia at 16 kHz (hop 8 ms, 64 ms frames): twice as fast as at 44.1 kHz, and as accurate
    # for melodies under 1760 Hz (measured on the synthetic set and vocadito).
    hop, pitch_rate = 128, 16000
    low = soxr.resample(audio, rate, pitch_rate).astype(np.float32) if rate != pitch_rate else audio
    melodia = es.PredominantPitchMelodia(sampleRate=pitch_rate, hopSize=hop, frameSize=1024, guessUnvoiced=True,
                                        minFrequency=min_hz, maxFrequency=max_hz)
    hz, confidence = melodia(es.EqualLoudness(sampleRate=pitch_rate)(low))
    hz, confidence = np.asarray(hz, dtype=float), np.asarray(confidence, dtype=float)
    if not len(hz):
        return np.zeros(len(times)), np.zeros(len(times))
    m_times = np.arange(len(hz)) * hop / pitch_rate
    # Onto the 10 ms grid by nearest frame (keeps unvoiced gaps sharp).
    idx = np.clip(np.searchsorted(m_times, times), 0, len(hz) - 1)
    return hz[idx], confidence[idx]


def frame_level_db(audio: np.ndarray, rate: int, times: np.ndarray, *, window: float = 0.04) -> np.ndarray:
    """The RMS level over ``window`` seconds around each frame, in dBFS."""
    half = int(window / 2 * rate)
    energy = np.square(audio, dtype=np.float32)
    cumulative = np.concatenate([[0.0], np.cumsum(energy, dtype=np.float64)])
    centres = (times * rate).astype(int)
    lo, hi = np.clip(centres - half, 0, len(audio)), np.clip(centres + half, 0, len(audio))
    rms = np.sqrt((cumulative[hi] - cumulative[lo]) / np.maximum(hi - lo, 1))
    return 20 * np.log10(rms + 1e-12)
