"""Identify an audio file by decoding it, never by its name or declared type.

Every frame is decoded once (in blocks, so memory stays flat): a truncated file,
a header that lies about its length, or a stream that stops decoding is refused.
"""
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from .bwf import read_broadcast_metadata
from .riff import wav_length_problem

# Containers the archive accepts, as libsndfile names them, and what we call them.
ACCEPTED = {"WAV": "wav", "WAVEX": "wav", "RF64": "rf64", "W64": "w64", "FLAC": "flac", "AIFF": "aiff",
            "OGG": "ogg", "MP3": "mp3"}
EXTENSIONS = {"wav": "wav", "rf64": "wav", "w64": "w64", "flac": "flac", "aiff": "aiff", "ogg": "ogg",
              "opus": "opus", "mp3": "mp3", "m4a": "m4a"}
BIT_DEPTH = {"PCM_U8": 8, "PCM_S8": 8, "PCM_16": 16, "PCM_24": 24, "PCM_32": 32, "FLOAT": 32, "DOUBLE": 64}
MIN_SAMPLE_RATE, MAX_SAMPLE_RATE = 4000, 768000
MAX_CHANNELS = 64
BLOCK_FRAMES = 1 << 16
# Lossy decoders may deliver a little more or less than the header promises (priming, padding).
LOSSY_SLACK_FRAMES = 4096


class UnsupportedAudio(ValueError):
    """The file is not audio the archive can keep; the message says why, for the uploader."""


@dataclass(frozen=True)
class AudioInfo:
    container: str
    codec: str
    sample_rate: int
    channels: int
    frames: int
    duration: float
    bit_depth: int | None = None
    broadcast: dict = field(default_factory=dict)

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.codec if self.codec == "opus" else self.container, self.container)

    def as_dict(self) -> dict:
        return asdict(self)


def probe_audio(path: str | Path) -> AudioInfo:
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise UnsupportedAudio("the file is empty")
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError) as exc:
        if _looks_like_mp4(path):
            return _probe_mp4(path)
        raise UnsupportedAudio(f"not a recognised audio file ({_short(exc)})") from None
    container = ACCEPTED.get(info.format)
    if container is None:
        raise UnsupportedAudio(f"{info.format_info} files are not accepted; use WAV, FLAC, AIFF, Ogg, Opus or MP3")
    _check_shape(info.samplerate, info.channels)
    subtype = info.subtype or ""
    if container == "wav" and (problem := wav_length_problem(path)):
        raise UnsupportedAudio(problem)
    lossy = container in ("ogg", "mp3")
    decoded = _decode_all(path)
    if decoded == 0:
        raise UnsupportedAudio("the file holds no audio frames")
    declared = info.frames
    if not lossy and declared != decoded:
        raise UnsupportedAudio(f"the header promises {declared} frames but {decoded} could be decoded (truncated or corrupt)")
    if lossy and declared > 0 and abs(declared - decoded) > max(LOSSY_SLACK_FRAMES, declared // 100):
        raise UnsupportedAudio(f"the stream stops after {decoded} of {declared} frames (truncated or corrupt)")
    codec = {"VORBIS": "vorbis", "OPUS": "opus", "MPEG_LAYER_III": "mp3", "MPEG_LAYER_II": "mp2"}.get(subtype, subtype.lower())
    if container in ("wav", "rf64", "w64", "aiff") and not (subtype.startswith("PCM") or subtype in ("FLOAT", "DOUBLE")):
        raise UnsupportedAudio(f"{subtype} inside {container.upper()} is not accepted; use PCM or float")
    broadcast = read_broadcast_metadata(path) if container in ("wav", "rf64") else {}
    return AudioInfo(container=container, codec=codec or "pcm", sample_rate=info.samplerate, channels=info.channels,
                     frames=decoded, duration=decoded / info.samplerate, bit_depth=BIT_DEPTH.get(subtype),
                     broadcast=broadcast)


def _decode_all(path: Path) -> int:
    frames = 0
    try:
        with sf.SoundFile(str(path)) as f:
            while True:
                block = f.read(BLOCK_FRAMES, dtype="float32", always_2d=True)
                if not len(block):
                    break
                if not np.isfinite(block).all():
                    raise UnsupportedAudio("the audio holds invalid sample values (NaN or infinity)")
                frames += len(block)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise UnsupportedAudio(f"the audio stops decoding after {frames} frames ({_short(exc)})") from None
    return frames


def _check_shape(sample_rate: int, channels: int) -> None:
    if not MIN_SAMPLE_RATE <= sample_rate <= MAX_SAMPLE_RATE:
        raise UnsupportedAudio(f"a sample rate of {sample_rate} Hz is outside {MIN_SAMPLE_RATE}–{MAX_SAMPLE_RATE} Hz")
    if not 1 <= channels <= MAX_CHANNELS:
        raise UnsupportedAudio(f"{channels} channels is outside 1–{MAX_CHANNELS}")


def _looks_like_mp4(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(12)
    return len(head) == 12 and head[4:8] == b"ftyp"


def _probe_mp4(path: Path) -> AudioInfo:
    """M4A/AAC through essentia's FFmpeg-based loader (libsndfile has no AAC)."""
    try:
        import essentia.standard as es

        audio, sample_rate, channels, _md5, _bitrate, codec = es.AudioLoader(filename=str(path), computeMD5=False)()
    except Exception as exc:
        raise UnsupportedAudio(f"the MP4 container could not be decoded ({_short(exc)})") from None
    _check_shape(int(sample_rate), int(channels))
    if len(audio) == 0:
        raise UnsupportedAudio("the file holds no audio frames")
    return AudioInfo(container="m4a", codec=str(codec), sample_rate=int(sample_rate), channels=int(channels),
                     frames=len(audio), duration=len(audio) / float(sample_rate))


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
