"""archive/audio on real files: every accepted format decodes, every broken one is refused with a reason."""
import numpy as np
import pytest
import soundfile as sf

from archive.audio.derive import make_access_copy, make_peaks
from archive.audio.probe import UnsupportedAudio, probe_audio
from tests.audio import synth


@pytest.mark.parametrize("fmt,subtype,container,codec,bits", [
    ("WAV", "PCM_16", "wav", "pcm_16", 16), ("WAV", "PCM_24", "wav", "pcm_24", 24),
    ("WAV", "PCM_32", "wav", "pcm_32", 32), ("WAV", "FLOAT", "wav", "float", 32),
    ("RF64", "PCM_24", "rf64", "pcm_24", 24), ("FLAC", "PCM_16", "flac", "pcm_16", 16),
    ("FLAC", "PCM_24", "flac", "pcm_24", 24), ("AIFF", "PCM_16", "aiff", "pcm_16", 16),
    ("OGG", "VORBIS", "ogg", "vorbis", None), ("OGG", "OPUS", "ogg", "opus", None),
    ("MP3", "MPEG_LAYER_III", "mp3", "mp3", None),
])
def test_accepted_formats_are_identified_by_decoding(tmp_path, fmt, subtype, container, codec, bits):
    rate = 48000 if subtype == "OPUS" else 44100
    path = synth.write(tmp_path / "no-extension", fmt=fmt, subtype=subtype, seconds=3.0, rate=rate, channels=2)
    info = probe_audio(path)
    assert (info.container, info.codec, info.bit_depth, info.channels, info.sample_rate) == (container, codec, bits, 2, rate)
    assert info.duration == pytest.approx(3.0, abs=0.08)


def test_bwf_bext_fields_are_read(tmp_path):
    path = synth.with_bext(synth.write(tmp_path / "field.wav"))
    info = probe_audio(path)
    assert info.broadcast["bext"]["originator"] == "Zoom F3"
    assert info.broadcast["bext"]["origination_date"] == "1998-07-04"
    assert info.broadcast["bext"]["coding_history"].startswith("A=PCM,F=44100")


@pytest.mark.parametrize("make,reason", [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(b"RIFF\x24\x00\x00\x00WAVEjunkjunkjunk" * 10), "not a recognised audio file"),
    (lambda p: p.write_text("<html><script>alert(1)</script></html>"), "not a recognised audio file"),
    (lambda p: p.write_bytes(np.random.default_rng(1).bytes(50_000)), "not a recognised audio file"),
    (lambda p: synth.lie_about_length(synth.write(p)), "promises"),
    (lambda p: p.write_bytes(synth.write(p, fmt="FLAC").read_bytes()[:30_000]), "frames"),
    (lambda p: p.write_bytes(synth.write(p).read_bytes()[:44]), "truncated"),
    (lambda p: sf.write(str(p), np.zeros((0, 1)), 44100, format="WAV"), "no audio frames"),
    (lambda p: sf.write(str(p), np.zeros((100, 1)), 1000, format="WAV"), "sample rate"),
    (lambda p: sf.write(str(p), np.zeros((4410, 1)), 44100, format="AU"), "not accepted"),
    (lambda p: sf.write(str(p), np.zeros((4410, 1)), 44100, format="WAV", subtype="ULAW"), "not accepted"),
])
def test_broken_or_foreign_files_are_refused_with_a_reason(tmp_path, make, reason):
    path = tmp_path / "upload.wav"
    make(path)
    with pytest.raises(UnsupportedAudio) as caught:
        probe_audio(path)
    assert reason in str(caught.value)


def test_access_copy_and_peaks(tmp_path):
    master = synth.write(tmp_path / "m.wav", subtype="PCM_24", seconds=61.0, rate=96000, channels=3)
    meta = make_access_copy(master, tmp_path / "a.ogg")
    back = sf.info(str(tmp_path / "a.ogg"))
    assert (back.format, back.subtype, back.samplerate, back.channels) == ("OGG", "VORBIS", 48000, 2)
    assert back.duration == pytest.approx(61.0, abs=0.05) and meta["duration"] == pytest.approx(61.0, abs=0.05)
    peaks = make_peaks(master, tmp_path / "p.json")
    import json

    data = json.loads((tmp_path / "p.json").read_text())
    assert data["length"] == peaks["length"] == pytest.approx(61 * 50, abs=1)
    signal = synth.tone(1.0, 96000)
    assert max(data["data"]) == pytest.approx(float(signal.max()), abs=0.01)
    assert min(data["data"]) == pytest.approx(float(signal.min()), abs=0.01)
