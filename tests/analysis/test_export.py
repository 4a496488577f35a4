"""Transcriptions written as MIDI and MusicXML keep their microtones: read back, every note
sounds within 2 cents of what was transcribed, the first note included."""
import io
from xml.etree import ElementTree as ET

import mido
import numpy as np
import pretty_midi
import pytest

from archive.analysis.export import notes_to_midi, notes_to_musicxml
from archive.analysis.notes import Note
from music.pitch import midi_number

CENTS = [20.0, -50.0, 13.0, 0.0, 151.0, -7.0]


@pytest.fixture
def notes():
    rng = np.random.default_rng(5)
    base = 220 * 2 ** (rng.integers(0, 12, len(CENTS)) / 12)
    out, t = [], 0.0
    for hz, cents in zip(base, CENTS, strict=True):
        out.append(Note(onset=round(t, 3), duration=0.4, hz=float(hz * 2 ** (cents / 1200)), cents=0, degree=None,
                        deviation=None))
        t += 0.5
    return out


def test_midi_round_trip_keeps_cents(notes):
    data = notes_to_midi(notes)
    pm = pretty_midi.PrettyMIDI(io.BytesIO(data))
    inst = pm.instruments[0]
    assert len(inst.notes) == len(notes)
    for written, note in zip(inst.notes, notes, strict=True):
        bend = [b for b in inst.pitch_bends if b.time <= written.start + 1e-6][-1].pitch
        sounding = written.pitch + bend / 8192 * 2
        assert abs(sounding - midi_number(note.hz)) * 100 <= 2
    # In the file itself, the first pitch bend comes before the first note-on.
    events = [m.type for m in mido.MidiFile(file=io.BytesIO(data)).tracks[-1] if m.type in ("pitchwheel", "note_on")]
    assert events[0] == "pitchwheel"


def test_musicxml_round_trip_keeps_cents(notes):
    root = ET.fromstring(notes_to_musicxml(notes, title="Test"))
    steps = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
    written = root.findall(".//note[pitch]")
    assert len(written) == len(notes)
    for element, note in zip(written, notes, strict=True):
        pitch = element.find("pitch")
        alter = float(pitch.findtext("alter") or 0)
        midi = (int(pitch.findtext("octave")) + 1) * 12 + steps[pitch.findtext("step")] + alter
        assert abs(midi - midi_number(note.hz)) * 100 <= 1
    accidentals = [e.findtext("accidental") for e in written]
    assert "quarter-flat" in accidentals or "quarter-sharp" in accidentals  # the −50 cent note is written as such
    assert root.find(".//senza-misura") is not None
