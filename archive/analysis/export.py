"""Transcribed notes as MIDI (microtones as a pitch bend before each note) and MusicXML
(the exact deviation as a decimal <alter>, with the nearest written accidental)."""
from xml.etree import ElementTree as ET

from music.midi import write_midi
from music.musicxml import write_lyric, write_pitch
from music.notation import Notation
from music.pitch import midi_number

from .notes import Note


def notes_to_midi(notes: list[Note], *, program: int = 73, name: str = "Transcription") -> bytes:
    """The transcription on one channel, each note at its exact pitch (``name``: the track's, which
    says which transcription it is)."""
    return write_midi([(midi_number(n.hz), n.onset, n.onset + n.duration) for n in notes], program=program,
                      name=name, tempo=60)


def notes_to_musicxml(notes: list[Note], *, title: str = "Transcription", divisions: int = 8,
                      notation: Notation | None = None) -> bytes:
    """A single senza-misura measure in seconds (a quarter note is one second): the timing of
    a free-rhythm performance is kept as it was, not forced into bars. With the tradition's
    ``notation``, each note's degree is named under it (from its cents above the tonic)."""
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
        write_pitch(element, midi_number(note.hz), aeu=notation is not None and notation.aeu)
        name = notation.name(note.cents) if notation is not None else None
        if name:
            write_lyric(element, name)
        cursor = note.onset + max(1, int(round(note.duration * divisions))) / divisions
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    header = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 '
              'Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">\n')
    return (header + body).encode("utf-8")
