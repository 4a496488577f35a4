"""The whole analysis of one file: load once, then loudness, pitch, tonic, tuning, notes,
rhythm and the feature vector. Returns plain data; the archive stores it."""
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import ANALYSER, VERSION
from .audio_io import ANALYSIS_RATE, load_mono
from .features import feature_vector
from .loudness import loudness
from .notes import Note, segment_notes
from .pitch import PitchTrack, track_pitch
from .rhythm import Rhythm, analyse_rhythm
from .tonic import Tonic, estimate_tonic
from .tuning import Degree, folded_histogram, scale_degrees

MIN_SECONDS = 1.0


class AnalysisError(ValueError):
    """The audio cannot be analysed (too short, silent); the message says why."""


@dataclass
class AnalysisResult:
    duration: float
    loudness: dict
    pitch: PitchTrack
    tonic: Tonic | None
    histogram: np.ndarray          # 1200 one-cent bins relative to the tonic
    degrees: list[Degree]
    notes: list[Note]
    rhythm: Rhythm
    features: np.ndarray
    versions: dict = field(default_factory=dict)

    def summary(self) -> dict:
        """The curated descriptors kept in the database (bulky outputs go to files)."""
        voiced = float(self.pitch.voiced.mean()) if len(self.pitch.hz) else 0.0
        return {
            "duration": round(self.duration, 3),
            "loudness": self.loudness,
            "voiced_share": round(voiced, 4),
            "tonic": None if self.tonic is None else {"hz": self.tonic.hz, "method": self.tonic.method,
                                                       "confidence": self.tonic.confidence},
            "pitch_set": [{"cents": d.cents, "weight": d.weight} for d in self.degrees],
            "histogram_5c": [round(float(v), 5) for v in self.histogram.reshape(240, 5).sum(axis=1)],
            "rhythm": {"onset_rate": self.rhythm.onset_rate, "tempo_bpm": self.rhythm.tempo_bpm,
                       "pulse_confidence": self.rhythm.pulse_confidence, "onsets": len(self.rhythm.onsets)},
            "notes": len(self.notes),
            "versions": self.versions,
        }


def versions() -> dict:
    import essentia

    return {"analyser": ANALYSER, "version": VERSION, "essentia": essentia.__version__, "numpy": np.__version__}


def analyse_file(path: str | Path, *, drone: bool = False, tonic_hz: float | None = None,
                 progress: Callable[[float, str], None] = lambda p, m="": None) -> AnalysisResult:
    """``tonic_hz`` set by hand wins over the estimate (its method is then 'set by hand')."""
    import essentia

    essentia.log.infoActive = False
    essentia.log.warningActive = False
    progress(0.02, "loading audio")
    audio = load_mono(path)
    rate = ANALYSIS_RATE
    duration = len(audio) / rate
    if duration < MIN_SECONDS:
        raise AnalysisError(f"the recording is too short to analyse ({duration:.2f} s; at least {MIN_SECONDS} s)")
    if not any(np.abs(audio[i:i + (1 << 20)]).max(initial=0) > 1e-4 for i in range(0, len(audio), 1 << 20)):
        raise AnalysisError("the recording is silent")
    progress(0.1, "loudness")
    level = loudness(audio, rate)
    progress(0.2, "pitch contour")
    track = track_pitch(audio, rate)
    progress(0.6, "tonic")
    if tonic_hz:
        tonic = Tonic(hz=float(tonic_hz), method="set by hand", confidence=1.0)
    else:
        tonic = estimate_tonic(track, audio=audio, rate=rate, drone=drone)
    progress(0.65, "tuning")
    hist = folded_histogram(track, tonic.hz) if tonic else np.zeros(1200)
    degrees = scale_degrees(hist) if tonic else []
    progress(0.7, "rhythm")
    rhythm = analyse_rhythm(audio, rate)
    progress(0.85, "notes")
    notes = segment_notes(track, tonic.hz, degrees) if tonic else []
    progress(0.9, "features")
    features = feature_vector(folded_hist=hist, notes=notes, audio=audio, rate=rate, onset_rate=rhythm.onset_rate,
                              tempo_bpm=rhythm.tempo_bpm, pulse_confidence=rhythm.pulse_confidence,
                              duration=duration, silence_share=level["silence_share"])
    return AnalysisResult(duration=duration, loudness=level, pitch=track, tonic=tonic, histogram=hist,
                          degrees=degrees, notes=notes, rhythm=rhythm, features=features, versions=versions())
