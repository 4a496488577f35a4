"""A MusicXML <note>'s pitch and accidental for an exact pitch: the deviation as a decimal <alter>
beside the nearest written accidental (readers need both)."""
from xml.etree import ElementTree as ET

from .pitch import spell, spell_aeu


def write_pitch(note: ET.Element, exact: float, *, aeu: bool = False, letter: str | None = None) -> None:
    """Fill a MusicXML <note>'s <pitch> and <accidental> (in schema order) for an exact pitch;
    ``aeu``: with Turkish makam's Arel-Ezgi-Uzdilek signs (SMuFL glyphs) instead of the staff's,
    on ``letter`` where the scale gives the degree one."""
    smufl = None
    if aeu:
        step, alter, octave, sign = spell_aeu(exact, letter)
        accidental, smufl = sign or (None, None)  # an AEU natural is written bare, as makam scores write it
    else:
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
    if accidental:  # on the staff, a natural too, where a small alter inflects the note: readers need it (MusicXML 4.0 has
        element = ET.Element("accidental")  # no print-object on accidentals, so it cannot be hidden)
        element.text = accidental
        if smufl:
            element.set("smufl", smufl)
        tags = [c.tag for c in note]
        before = [i for i, t in enumerate(tags) if t in ("pitch", "duration", "tie", "voice", "type", "dot")]
        note.insert(max(before, default=0) + 1, element)


def write_lyric(note: ET.Element, text: str) -> None:
    """A syllable under the note: the tradition's own name for its degree (music/notation.py)."""
    lyric = ET.SubElement(note, "lyric", number="1", placement="below")
    ET.SubElement(lyric, "syllabic").text = "single"
    ET.SubElement(lyric, "text").text = text
