"""Rhythm, loudness and the refusal of audio that cannot be analysed."""
import numpy as np
import pytest
import soundfile as sf

from archive.analysis.loudness import loudness
from archive.analysis.pipeline import AnalysisError, analyse_file
from archive.analysis.rhythm import analyse_rhythm
from tests.audio.melody import write_melody

RATE = 44100


def clicks(bpm: float, seconds: float = 20.0) -> np.ndarray:
    """A drum-like pulse: decaying noise bursts on every beat (stands for a frame drum)."""
    rng = np.random.default_rng(0)
    audio = np.zeros(int(seconds * RATE), dtype=np.float32)
    burst = (rng.normal(0, 0.5, 2000) * np.exp(-np.arange(2000) / 300)).astype(np.float32)
    for t in np.arange(0.5, seconds - 0.1, 60 / bpm):
        i = int(t * RATE)
        audio[i:i + 2000] += burst
    return audio


def test_a_steady_pulse_has_a_tempo():
    rhythm = analyse_rhythm(clicks(120))
    assert rhythm.tempo_bpm == pytest.approx(120, abs=2)
    assert rhythm.pulse_confidence > 0.5 and rhythm.onset_rate == pytest.approx(2.0, abs=0.3)


def test_free_rhythm_has_no_tempo():
    rng = np.random.default_rng(3)
    audio = np.zeros(20 * RATE, dtype=np.float32)
    burst = (rng.normal(0, 0.5, 2000) * np.exp(-np.arange(2000) / 300)).astype(np.float32)
    for t in np.sort(rng.uniform(0.2, 19.5, 25)):  # strokes at irregular times: no pulse
        i = int(t * RATE)
        audio[i:i + 2000] += burst
    rhythm = analyse_rhythm(audio)
    assert rhythm.tempo_bpm is None and rhythm.pulse_confidence < 1.5 / 5.32


def test_loudness_follows_level():
    t = np.arange(20 * RATE) / RATE
    loud = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    a, b = loudness(loud), loudness(loud / 2)
    assert a["integrated_lufs"] - b["integrated_lufs"] == pytest.approx(6.02, abs=0.1)
    assert a["range_lu"] == pytest.approx(0, abs=0.5) and a["silence_share"] == 0


def test_silence_and_short_files_are_refused(tmp_path):
    sf.write(tmp_path / "silent.wav", np.zeros(5 * RATE), RATE)
    with pytest.raises(AnalysisError, match="silent"):
        analyse_file(tmp_path / "silent.wav")
    sf.write(tmp_path / "short.wav", np.ones(RATE // 4) * 0.1, RATE)
    with pytest.raises(AnalysisError, match="too short"):
        analyse_file(tmp_path / "short.wav")


def test_feature_vectors_are_unit_length_and_closer_for_the_same_scale(tmp_path):
    vectors = {}
    for name, seed, scale in (("a", 1, "hicaz-like"), ("b", 2, "hicaz-like"), ("c", 3, "pentatonic-wide")):
        write_melody(tmp_path / f"{name}.wav", seed, scale=scale, seconds=10.0, tonic_hz=200.0, vibrato_cents=15)
        vectors[name] = analyse_file(tmp_path / f"{name}.wav").features
    for v in vectors.values():
        assert np.linalg.norm(v) == pytest.approx(1.0)
    assert vectors["a"] @ vectors["b"] > vectors["a"] @ vectors["c"]


def test_k_weighting_matches_bs1770_at_48khz():
    from archive.analysis.loudness import k_weighting

    (shelf_b, shelf_a), (hp_b, hp_a) = k_weighting(48000)
    assert shelf_b == pytest.approx([1.53512485958697, -2.69169618940638, 1.19839281085285], abs=1e-8)
    assert shelf_a == pytest.approx([1.0, -1.69065929318241, 0.73248077421585], abs=1e-8)
    assert hp_a == pytest.approx([1.0, -1.99004745483398, 0.99007225036621], abs=1e-8)


def test_a_full_scale_997_hz_tone_reads_minus_3_lufs():
    """EBU Tech 3341's reference: a 997 Hz sine at 0 dBFS in one channel is −3.01 LUFS."""
    t = np.arange(48000 * 10) / 48000
    assert loudness(np.sin(2 * np.pi * 997 * t).astype(np.float32), 48000)["integrated_lufs"] == pytest.approx(-3.01, abs=0.02)
