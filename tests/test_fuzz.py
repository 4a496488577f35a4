"""Fuzzing the readers of hostile input with hypothesis: real files (WAV, FLAC, Ogg, a score,
an ELAN document, a TextGrid) cut, spliced and bit-flipped at random. Each reader either
reads the file or refuses it with its own clear error; nothing else (no crash, no hang), and
through the API a refused upload is a JSON 4xx that stores nothing."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.audio.probe import UnsupportedAudio, probe_audio
from archive.transcripts import TranscriptError, read_layers
from music.scores import ScoreError, read_score
from tests.audio import synth

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _audio(fmt: str, subtype: str) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return synth.write(Path(tmp) / f"x.{fmt.lower()}", fmt=fmt, subtype=subtype, seconds=0.5).read_bytes()


SEEDS = {"wav": _audio("WAV", "PCM_16"), "flac": _audio("FLAC", "PCM_16"), "ogg": _audio("OGG", "VORBIS")}


@st.composite
def mutated(draw, seeds: dict[str, bytes]):
    """A real file, then cut, spliced with another, overwritten with random bytes at random places."""
    name = draw(st.sampled_from(sorted(seeds)))
    data = bytearray(seeds[name])
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["cut", "flip", "overwrite", "splice", "grow"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if how == "cut":
            data = data[:at]
        elif how == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at:at + len(chunk)] = chunk
        elif how == "splice":
            other = seeds[draw(st.sampled_from(sorted(seeds)))]
            data = data[:at] + other[draw(st.integers(0, len(other))):]
        else:
            data = data + draw(st.binary(max_size=64))
    return name, bytes(data)


@FUZZ
@given(mutated(SEEDS))
def test_audio_identification_reads_or_refuses(tmp_path_factory, sample):
    name, data = sample
    path = tmp_path_factory.mktemp("fuzz") / f"upload.{name}"
    path.write_bytes(data)
    try:
        info = probe_audio(path)
    except UnsupportedAudio as exc:
        assert str(exc)  # a reason a person can read
        return
    assert info.duration > 0 and info.sample_rate > 0 and info.channels > 0




def _texts() -> dict[str, bytes]:
    import tempfile

    from pympi.Elan import Eaf
    from pympi.Praat import TextGrid

    from archive.analysis.export import notes_to_musicxml
    from archive.analysis.notes import Note

    with tempfile.TemporaryDirectory() as tmp:
        eaf = Eaf()
        eaf.add_tier("lyrics")
        eaf.add_annotation("lyrics", 100, 900, "la")
        eaf.to_file(f"{tmp}/a.eaf")
        grid = TextGrid(xmax=2)
        grid.add_tier("t").add_interval(0.1, 0.5, "ka")
        grid.to_file(f"{tmp}/a.TextGrid")
        return {"eaf": Path(f"{tmp}/a.eaf").read_bytes(), "textgrid": Path(f"{tmp}/a.TextGrid").read_bytes(),
                "vtt": b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n",
                "musicxml": notes_to_musicxml([Note(0.0, 0.5, 220.0, 0.0, None, None), Note(0.5, 0.5, 247.0, 200.0, None, None)])}


TEXTS = _texts()


@FUZZ
@given(mutated(TEXTS))
def test_transcript_and_score_readers_read_or_refuse(sample):
    _name, data = sample
    try:
        read_layers(data)
    except TranscriptError as exc:
        assert str(exc)
    try:
        read_score(data, "upload")
    except ScoreError as exc:
        assert str(exc)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated(SEEDS))
def test_refused_uploads_are_json_4xx_and_store_nothing(sample):
    from archive.models import RecordingFile
    from tests import factories as f
    from tests.factories import api_client

    name, data = sample
    member = f.make_user()
    community = f.make_community(members=[member], stewards=[f.make_user()])
    recording = f.make_recording(community)
    response = api_client(member).post(f"/api/recordings/{recording.pk}/upload/",
                                       {"file": SimpleUploadedFile(f"take.{name}", data)}, format="multipart")
    if response.status_code == 201:
        assert RecordingFile.objects.filter(recording=recording).count() == 1
    else:
        assert response.status_code == 400 and response.json()["detail"], response.content
        assert not RecordingFile.objects.filter(recording=recording).exists()
