"""Audio made by the tests, with known content, written by real encoders (libsndfile)."""
import struct
from pathlib import Path

import numpy as np
import soundfile as sf


def tone(seconds=2.0, rate=44100, channels=1, freq=220.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    mono = 0.4 * np.sin(2 * np.pi * freq * t) + 0.1 * np.sin(2 * np.pi * 2 * freq * t)
    return np.repeat(mono[:, None], channels, axis=1).astype("float32")


def write(path: Path, *, fmt="WAV", subtype="PCM_16", seconds=2.0, rate=44100, channels=1, freq=220.0) -> Path:
    data = tone(seconds, rate, channels, freq)
    if fmt == "OGG" or fmt == "MP3":
        with sf.SoundFile(str(path), "w", samplerate=rate, channels=channels, format=fmt, subtype=subtype) as f:
            for start in range(0, len(data), rate * 5):  # libsndfile's lossy writers want blocks
                f.write(data[start:start + rate * 5])
    else:
        sf.write(str(path), data, rate, format=fmt, subtype=subtype)
    return path


def with_bext(path: Path, *, description="Field recording, Hà Giang", originator="Zoom F3",
              date="1998-07-04", coding_history="A=PCM,F=44100,W=16,M=mono,T=field") -> Path:
    """Insert a Broadcast WAV bext chunk (EBU Tech 3285 layout) after the fmt chunk."""
    raw = path.read_bytes()
    assert raw[:4] == b"RIFF" and raw[8:12] == b"WAVE"
    fields = struct.pack("<256s32s32s10s8sQH64s5h180s", description.encode("ascii", "replace"),
                         originator.encode(), b"SK-0001", date.encode(), b"10:30:00", 0, 2, b"", 0, 0, 0, 0, 0, b"")
    body = fields + coding_history.encode() + b"\r\n"
    if len(body) % 2:
        body += b"\0"
    chunk = b"bext" + struct.pack("<I", len(body)) + body
    pos = 12
    while pos < len(raw):
        cid, size = raw[pos:pos + 4], struct.unpack("<I", raw[pos + 4:pos + 8])[0]
        nxt = pos + 8 + size + (size % 2)
        if cid == b"fmt ":
            out = raw[:nxt] + chunk + raw[nxt:]
            out = out[:4] + struct.pack("<I", len(out) - 8) + out[8:]
            path.write_bytes(out)
            return path
        pos = nxt
    raise AssertionError("no fmt chunk")


def lie_about_length(path: Path, extra_bytes=400_000) -> Path:
    """Make the data chunk header promise more audio than the file holds."""
    raw = bytearray(path.read_bytes())
    pos = 12
    while pos < len(raw):
        cid, size = bytes(raw[pos:pos + 4]), struct.unpack("<I", raw[pos + 4:pos + 8])[0]
        if cid == b"data":
            raw[pos + 4:pos + 8] = struct.pack("<I", size + extra_bytes)
            raw[4:8] = struct.pack("<I", len(raw) - 8 + extra_bytes)
            path.write_bytes(bytes(raw))
            return path
        pos += 8 + size + (size % 2)
    raise AssertionError("no data chunk")


def write_m4a(path: Path, *, seconds=3.0, rate=44100) -> Path:
    """AAC in an MP4 container, encoded by FFmpeg through PyAV (libsndfile cannot write it)."""
    import av

    data = tone(seconds, rate, 1)[:, 0]
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=rate)
        stream.layout = "mono"
        for start in range(0, len(data), 1024):
            frame = av.AudioFrame.from_ndarray(data[start:start + 1024].reshape(1, -1), format="fltp", layout="mono")
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path
