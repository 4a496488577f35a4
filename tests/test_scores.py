"""Scores attached to recordings: MusicXML (microtonal alters), MIDI (pitch bends), ABC and
Humdrum kern are read with their exact pitches; what cannot be read is refused with nothing
stored; style models learn from the scores of consented recordings."""
import io
from pathlib import Path

import music21
import numpy as np
import pretty_midi
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.analysis.export import notes_to_musicxml
from archive.analysis.notes import Note
from archive.models import Score
from generation.services.training import style_model_create, style_model_train
from music.scores import read_score
from tests import factories as f
from tests.factories import api_client

pytestmark = pytest.mark.django_db
CORPUS = Path(music21.__file__).parent / "corpus"
# a saba-like line around a 220 Hz tonic: 150 and 294 cents are no 12-TET pitches
CENTS = [0, 150, 294, 405, 294, 150, 0, -200, 0]


def hz(cents, tonic=220.0):
    return tonic * 2 ** (cents / 1200)


def microtonal_musicxml() -> bytes:
    notes = [Note(onset=i * 0.5, duration=0.45, hz=hz(c), cents=c, degree=None, deviation=None) for i, c in enumerate(CENTS)]
    return notes_to_musicxml(notes, title="Saba line")


def microtonal_midi() -> bytes:
    pm = pretty_midi.PrettyMIDI(initial_tempo=120)
    inst = pretty_midi.Instrument(program=71)
    for i, c in enumerate(CENTS):
        exact = 57 + c / 100
        key = round(exact)
        inst.pitch_bends.append(pretty_midi.PitchBend(int(round((exact - key) / 2 * 8192)), i * 0.5))
        inst.notes.append(pretty_midi.Note(velocity=80, pitch=key, start=i * 0.5, end=i * 0.5 + 0.45))
    pm.instruments.append(inst)
    buffer = io.BytesIO()
    pm.write(buffer)
    return buffer.getvalue()


def test_microtones_are_read_exactly_from_musicxml_and_midi():
    for data, fmt in ((microtonal_musicxml(), "musicxml"), (microtonal_midi(), "midi")):
        found, notes = read_score(data, "x")
        assert found == fmt
        pitched = [n.midi for n in notes if n.midi is not None]
        assert np.allclose(pitched, [57 + c / 100 for c in CENTS], atol=0.01), fmt


@pytest.fixture
def place():
    steward, member, outsider = f.make_user("steward"), f.make_user("member"), f.make_user("outsider")
    community = f.make_community(stewards=[steward], members=[member], name="Saba players")
    recording = f.make_recording(community, training_consent="allowed", tonic_hz=220.0, title="Saba taqsim")
    return steward, member, outsider, community, recording


def upload(user, recording, data: bytes, name: str):
    return api_client(user).post(f"/api/recordings/{recording.pk}/scores/",
                                 {"file": SimpleUploadedFile(name, data), "title": name}, format="multipart")


def test_members_attach_scores_in_four_formats(place):
    _steward, member, outsider, _community, recording = place
    files = [(microtonal_musicxml(), "saba.musicxml", "musicxml"), (microtonal_midi(), "saba.mid", "midi"),
             ((CORPUS / "essenFolksong" / "kinder0.abc").read_bytes()[:2500], "kinder.abc", "abc"),
             ((CORPUS / "palestrina" / "Agnus_II_47.krn").read_bytes(), "agnus.krn", "kern")]
    for data, name, fmt in files:
        response = upload(member, recording, data, name)
        assert response.status_code == 201, response.json()
        assert response.json()["format"] == fmt and response.json()["notes"] > 5
    listed = api_client(outsider).get(f"/api/recordings/{recording.pk}/scores/").json()
    assert [s["format"] for s in listed] == ["musicxml", "midi", "abc", "kern"]
    assert api_client(outsider).get(listed[1]["url"]).content == microtonal_midi()
    assert upload(outsider, recording, microtonal_midi(), "x.mid").status_code == 403


@pytest.mark.parametrize("data,name,message", [
    (b"", "empty.musicxml", "empty"),
    (b"RIFF....WAVEfmt ", "song.abc", "music21 could not read"),
    (b"just some text", "notes.txt", "not a score"),
    (b"X:1\nT:Quarter tones\nK:D\n^/F2 _/B2 A4|\n", "maqam.abc", "quarter-tone"),
    (b"<?xml version='1.0'?><score-partwise><part-list/></score-partwise>", "bad.musicxml", ""),
    (microtonal_midi()[:30], "cut.mid", "MIDI"),
])
def test_unreadable_scores_are_refused_and_nothing_is_stored(place, data, name, message):
    _steward, member, _outsider, _community, recording = place
    response = upload(member, recording, data, name)
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert not Score.objects.exists()
    from django.core.files.storage import default_storage

    assert not default_storage.exists(f"recordings/{recording.pk}/scores") or not default_storage.listdir(
        f"recordings/{recording.pk}/scores")[1]


def test_hidden_recordings_scores_are_404(place):
    steward, member, outsider, community, _recording = place
    hidden = f.make_recording(community, record_protocol="community")
    assert upload(member, hidden, microtonal_midi(), "x.mid").status_code == 201
    for who in (outsider, None):
        assert api_client(who).get(f"/api/recordings/{hidden.pk}/scores/").status_code == 404
        assert upload(who, hidden, microtonal_midi(), "y.mid").status_code in (401, 404)


def test_a_model_learns_the_microtones_of_scores(place, settings):
    settings.STYLE_TRANSFORMER = None
    _steward, member, _outsider, _community, recording = place
    for i in range(6):  # six scores of one recording, no audio at all
        assert upload(member, recording, microtonal_musicxml() if i % 2 else microtonal_midi(), f"s{i}.mid").status_code == 201
    model = style_model_create(user=member, tradition=recording.tradition)
    assert len(model.manifest["recordings"][0]["scores"]) == 6
    style_model_train(model=model)
    model.refresh_from_db()
    assert model.status == "ready" and model.metrics["pieces"] == 6
    for cents in (150, 294, 405, 1000):  # 1000: -200 folded into the octave
        assert any(abs(c - cents) < 3 for c in model.pitch_set), (cents, model.pitch_set)
