"""Loading audio for analysis: mono float32 at the analysis rate, read in blocks and
resampled as a stream, so a long recording is held once, as float32, never float64."""
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

ANALYSIS_RATE = 44100
BLOCK = 1 << 16


def load_mono(path: str | Path, rate: int = ANALYSIS_RATE) -> np.ndarray:
    info = sf.info(str(path))
    expected = int(info.frames * rate / info.samplerate) + 1024
    out = np.empty(expected, dtype=np.float32)
    filled = 0
    resampler = soxr.ResampleStream(info.samplerate, rate, 1, dtype="float32") if info.samplerate != rate else None
    with sf.SoundFile(str(path)) as f:
        while True:
            block = f.read(BLOCK, dtype="float32", always_2d=True)
            last = len(block) < BLOCK
            mono = block.mean(axis=1, dtype=np.float32)
            if resampler is not None:
                mono = resampler.resample_chunk(mono, last=last)
            n = len(mono)
            if filled + n > len(out):
                out = np.resize(out, filled + n)
            out[filled:filled + n] = mono
            filled += n
            if last:
                break
    return out[:filled]
