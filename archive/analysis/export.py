"""Transcribed notes as MIDI (microtones as a pitch bend before each note) and MusicXML
(the exact deviation as a decimal <alter>, with the nearest written accidental)."""
import io
from xml.etree import ElementTree as ET

import numpy as np

from .notes import Note

BEND_RANGE_SEMITONES = 2
STEPS = [("C", 0), ("C", 1), ("D", 0), ("D", 1), ("E", 0), ("F", 0), ("F", 1), ("G", 0), ("G", 1), ("A", 0),
         ("A", 1), ("B", 0)]
ACCIDENTALS = {-1.5: "three-quarters-flat", -1.0: "flat", -0.5: "quarter-flat", 0.0: None, 0.5: "quarter-sharp",
               1.0: "sharp", 1.5: "three-quarters-sharp"}


def midi_number(hz: float) -> float:
    return 69 + 12 * np.log2(hz / 440.0)


def notes_to_midi(notes: list[Note], *, program: int = 73) -> bytes:
    """One note at a time on one channel; each note's bend is set 5 ms before it sounds, so no
    note (the first included) plays at the wrong pitch."""
    import pretty_midi

    pm = pretty_midi.PrettyMIDI(initial_tempo=60)
    inst = pretty_midi.Instrument(program=program, name="Transcription")
    for note in notes:
        exact = midi_number(note.hz)
        key = int(round(exact))
        bend = int(round((exact - key) / BEND_RANGE_SEMITONES * 8192))
        inst.pitch_bends.append(pretty_midi.PitchBend(pitch=max(-8192, min(8191, bend)), time=max(0.0, note.onset - 0.005)))
        inst.notes.append(pretty_midi.Note(velocity=90, pitch=key, start=note.onset, end=note.onset + note.duration))
    pm.instruments.append(inst)
    buffer = io.BytesIO()
    pm.write(buffer)
    return buffer.getvalue()


def _spell(hz: float) -> tuple[str, float, int, str | None]:
    """Step, decimal alter, octave and the written accidental nearest to the exact pitch."""
    exact = midi_number(hz)
    key = int(round(exact))
    step, sharp = STEPS[key % 12]
    alter = round(sharp + (exact - key), 3)
    shown = min(ACCIDENTALS, key=lambda a: abs(a - alter))
    return step, alter, key // 12 - 1, ACCIDENTALS[shown]


def notes_to_musicxml(notes: list[Note], *, title: str = "Transcription", divisions: int = 8) -> bytes:
    """A single senza-misura measure in seconds (a quarter note is one second): the timing of
    a free-rhythm performance is kept as it was, not forced into bars."""
    root = ET.Element("score-partwise", version="4.0")
    ET.SubElement(ET.SubElement(root, "work"), "work-title").text = title
    ident = ET.SubElement(root, "identification")
    enc = ET.SubElement(ident, "encoding")
    ET.SubElement(enc, "software").text = "Songkeeper (transcribed by audio analysis)"
    part_list = ET.SubElement(root, "part-list")
    ET.SubElement(ET.SubElement(part_list, "score-part", id="P1"), "part-name").text = "Melody"
    measure = ET.SubElement(ET.SubElement(root, "part", id="P1"), "measure", number="1")
    attributes = ET.SubElement(measure, "attributes")
    ET.SubElement(attributes, "divisions").text = str(divisions)
    ET.SubElement(ET.SubElement(attributes, "time"), "senza-misura")
    clef = ET.SubElement(attributes, "clef")
    ET.SubElement(clef, "sign").text = "G"
    ET.SubElement(clef, "line").text = "2"
    cursor = 0.0
    for note in notes:
        gap = int(round((note.onset - cursor) * divisions))
        if gap > 0:
            rest = ET.SubElement(measure, "note")
            ET.SubElement(rest, "rest")
            ET.SubElement(rest, "duration").text = str(gap)
        step, alter, octave, accidental = _spell(note.hz)
        element = ET.SubElement(measure, "note")
        pitch = ET.SubElement(element, "pitch")
        ET.SubElement(pitch, "step").text = step
        if alter:
            ET.SubElement(pitch, "alter").text = f"{alter:g}"
        ET.SubElement(pitch, "octave").text = str(octave)
        ET.SubElement(element, "duration").text = str(max(1, int(round(note.duration * divisions))))
        if accidental:
            ET.SubElement(element, "accidental").text = accidental
        cursor = note.onset + max(1, int(round(note.duration * divisions))) / divisions
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    header = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 '
              'Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">\n')
    return (header + body).encode("utf-8")
