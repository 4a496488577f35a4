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
    """The transcription on one channel, each note at its exact pitch."""
    return write_midi([(midi_number(n.hz), n.onset, n.onset + n.duration) for n in notes], program=program,
                      name="Transcription", tempo=60)


def write_midi(notes: list[tuple[float, float, float]], *, program: int, name: str, tempo: float,
               text: str | None = None) -> bytes:
    """(exact pitch, start, end) notes, one at a time on one channel. Each note's bend is set 5 ms
    before it sounds and the first note starts 10 ms in, so no note (the first included) plays
    at the wrong pitch in any reader."""
    import pretty_midi

    pm = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    inst = pretty_midi.Instrument(program=program, name=name)
    offset = 0.01 if notes and notes[0][1] < 0.01 else 0.0
    for exact, start, end in notes:
        key = int(round(exact))
        bend = int(round((exact - key) / BEND_RANGE_SEMITONES * 8192))
        inst.pitch_bends.append(pretty_midi.PitchBend(pitch=max(-8192, min(8191, bend)), time=max(0.0, start + offset - 0.005)))
        inst.notes.append(pretty_midi.Note(velocity=90, pitch=key, start=start + offset, end=end + offset))
    pm.instruments.append(inst)
    if text:
        pm.lyrics.append(pretty_midi.Lyric(text, 0.0))
    buffer = io.BytesIO()
    pm.write(buffer)
    return buffer.getvalue()


def spell(exact: float) -> tuple[str, float, int, str | None]:
    """Step, decimal alter, octave and the written accidental nearest to an exact (fractional)
    MIDI pitch. A deviation under a quarter tone gets a natural: readers such as music21 take
    a decimal alter only beside a written accidental (the writer hides that natural)."""
    key = int(round(exact))
    step, sharp = STEPS[key % 12]
    alter = round(sharp + (exact - key), 3)
    shown = ACCIDENTALS[min(ACCIDENTALS, key=lambda a: abs(a - alter))]
    if shown is None and alter:
        shown = "natural"
    return step, alter, key // 12 - 1, shown


def write_pitch(note: ET.Element, exact: float) -> None:
    """Fill a MusicXML <note>'s <pitch> and <accidental> (in schema order) for an exact pitch."""
    step, alter, octave, accidental = spell(exact)
    pitch = note.find("pitch")
    if pitch is None:
        pitch = ET.Element("pitch")
        note.insert(0, pitch)
    for child in list(pitch):
        pitch.remove(child)
    ET.SubElement(pitch, "step").text = step
    if alter:
        ET.SubElement(pitch, "alter").text = f"{alter:g}"
    ET.SubElement(pitch, "octave").text = str(octave)
    old = note.find("accidental")
    if old is not None:
        note.remove(old)
    if accidental:  # a natural too, where a small alter inflects the note: readers need it (MusicXML 4.0 has
        element = ET.Element("accidental")  # no print-object on accidentals, so it cannot be hidden)
        element.text = accidental
        tags = [c.tag for c in note]
        before = [i for i, t in enumerate(tags) if t in ("pitch", "duration", "tie", "voice", "type", "dot")]
        note.insert(max(before, default=0) + 1, element)


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
        element = ET.SubElement(measure, "note")
        ET.SubElement(element, "duration").text = str(max(1, int(round(note.duration * divisions))))
        write_pitch(element, midi_number(note.hz))
        cursor = note.onset + max(1, int(round(note.duration * divisions))) / divisions
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    header = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 '
              'Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">\n')
    return (header + body).encode("utf-8")
