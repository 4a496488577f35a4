"""A stretch of a stored recording as mono float32 at a given rate: what a call-and-response item
plays before its answer (read by seeking, not by decoding the whole file)."""
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr


def segment_mono(path: str | Path, start: float, end: float, rate: int = 44100) -> np.ndarray:
    with sf.SoundFile(str(path)) as f:
        first = max(0, int(start * f.samplerate))
        f.seek(min(first, f.frames))
        block = f.read(max(0, int((end - start) * f.samplerate)), dtype="float32", always_2d=True)
        source_rate = f.samplerate
    mono = block.mean(axis=1, dtype=np.float32)
    if source_rate != rate and len(mono):
        mono = soxr.resample(mono, source_rate, rate).astype(np.float32)
    return mono
