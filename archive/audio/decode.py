"""A path libsndfile can read for any accepted master: M4A/AAC (which libsndfile cannot
decode) is decoded once by essentia's FFmpeg-based loader into a temporary float WAV."""
import tempfile
from contextlib import contextmanager
from pathlib import Path

import soundfile as sf


@contextmanager
def readable(path: Path, container: str):
    if container != "m4a":
        yield Path(path)
        return
    import essentia.standard as es

    audio, rate, channels, _md5, _bitrate, _codec = es.AudioLoader(filename=str(path), computeMD5=False)()
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        sf.write(tmp.name, audio, int(rate), subtype="FLOAT")
        yield Path(tmp.name)
