"""A RIFF/WAVE chunk walk: does the header's promise match the bytes on disk?
libsndfile quietly clamps a data chunk that claims more than the file holds."""
import struct
from pathlib import Path


def wav_length_problem(path: Path) -> str | None:
    """A reason when a WAV's RIFF or data chunk sizes promise more than the file holds; None when they agree."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None  # RF64/W64 and others: libsndfile's own checks apply
        riff_size = struct.unpack("<I", head[4:8])[0]
        if riff_size + 8 > size:
            return f"the RIFF header promises {riff_size + 8} bytes but the file has {size} (truncated)"
        pos = 12
        while pos + 8 <= size:
            f.seek(pos)
            cid, csize = struct.unpack("<4sI", f.read(8))
            if cid == b"data":
                if pos + 8 + csize > size:
                    return f"the data chunk promises {csize} bytes of audio but the file holds {size - pos - 8} (truncated)"
                return None
            pos += 8 + csize + (csize % 2)
    return "the file has no data chunk"
