"""Derivatives of a preservation master: an Ogg Vorbis access copy for streaming and
waveform peaks for the player. Both stream the master in blocks: memory stays flat."""
import json
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

ACCESS_SAMPLE_RATE = 48000
ACCESS_CHANNELS_MAX = 2
BLOCK_FRAMES = 1 << 16
PEAKS_PER_SECOND = 50


def _blocks(path: Path):
    with sf.SoundFile(str(path)) as f:
        while True:
            block = f.read(BLOCK_FRAMES, dtype="float32", always_2d=True)
            if not len(block):
                return
            yield f.samplerate, block


def make_access_copy(master: Path, out: Path, *, quality: float = 0.5) -> dict:
    """Write an Ogg Vorbis access copy (at most stereo, at most 48 kHz), block by block.

    libsndfile's Vorbis writer is fed in blocks of a few seconds; one long call crashes it.
    """
    info = sf.info(str(master))
    rate_out = min(info.samplerate, ACCESS_SAMPLE_RATE)
    channels_out = min(info.channels, ACCESS_CHANNELS_MAX)
    resampler = soxr.ResampleStream(info.samplerate, rate_out, channels_out, dtype="float32") \
        if rate_out != info.samplerate else None
    frames = 0
    with sf.SoundFile(str(out), "w", samplerate=rate_out, channels=channels_out, format="OGG", subtype="VORBIS",
                      compression_level=1.0 - quality) as dst:
        for _rate, block in _blocks(master):
            block = _fit_channels(block, channels_out)
            if resampler is not None:
                block = resampler.resample_chunk(block)
            if len(block):
                dst.write(np.clip(block, -1.0, 1.0))
                frames += len(block)
        if resampler is not None:
            tail = resampler.resample_chunk(np.zeros((0, channels_out), dtype="float32"), last=True)
            if len(tail):
                dst.write(np.clip(tail, -1.0, 1.0))
                frames += len(tail)
    return {"format": "ogg", "codec": "vorbis", "sample_rate": rate_out, "channels": channels_out,
            "frames": frames, "duration": frames / rate_out}


def _fit_channels(block: np.ndarray, channels: int) -> np.ndarray:
    if block.shape[1] == channels:
        return block
    if channels == 1:
        return block.mean(axis=1, keepdims=True)
    return block[:, :channels] if block.shape[1] > channels else np.repeat(block, channels, axis=1)


def make_peaks(master: Path, out: Path, *, per_second: int = PEAKS_PER_SECOND) -> dict:
    """Min/max pairs of the mono mix, ``per_second`` pairs a second, in the audiowaveform JSON layout."""
    info = sf.info(str(master))
    per_pixel = max(1, info.samplerate // per_second)
    data: list[float] = []
    carry = np.zeros(0, dtype="float32")
    for _rate, block in _blocks(master):
        mono = np.concatenate([carry, block.mean(axis=1)])
        whole = len(mono) // per_pixel * per_pixel
        if whole:
            frames = mono[:whole].reshape(-1, per_pixel)
            pairs = np.stack([frames.min(axis=1), frames.max(axis=1)], axis=1).ravel()
            data.extend(np.round(pairs, 4).tolist())
        carry = mono[whole:]
    if len(carry):
        data.extend([round(float(carry.min()), 4), round(float(carry.max()), 4)])
    peaks = {"version": 2, "channels": 1, "sample_rate": info.samplerate, "samples_per_pixel": per_pixel,
             "bits": 32, "length": len(data) // 2, "data": data}
    Path(out).write_text(json.dumps(peaks, separators=(",", ":")))
    return {"length": peaks["length"], "samples_per_pixel": per_pixel}
