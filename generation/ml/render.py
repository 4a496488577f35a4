"""A generated melody as files: MusicXML with exact microtonal alters, an SVG of the score
(verovio), MIDI with a pitch bend per note, and audio from a harmonic synthesiser in the
tradition's own tuning. Every file says it is AI-generated.

music21 lays the score out (measures, ties, tuplets) but its export rounds cents to quarter
tones, so the alters are written back into the XML afterwards; pretty_midi writes the MIDI
because music21's export loses the first note's bend."""
from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import numpy as np

from music.midi import write_midi
from music.musicxml import write_lyric, write_pitch
from music.pitch import midi_number

from .tokens import Note, PitchSet

AI_MARK = "AI-generated study example (Songkeeper style model)"
BEND_RANGE_SEMITONES = 2.0


@dataclass
class Event:
    """A note or rest placed in time, with its exact pitch."""

    start: float          # seconds
    seconds: float
    quarters: float
    midi: float | None    # fractional MIDI pitch (None: a rest)
    phrase_end: bool = False

    @property
    def hz(self) -> float | None:
        return None if self.midi is None else 440.0 * 2 ** ((self.midi - 69) / 12)


def place(notes: list[Note], pitch_set: PitchSet, *, tonic_hz: float, tempo_bpm: float, pulse: bool) -> list[Event]:
    """Steps to exact pitches (cents of the pitch set above the tonic) and durations to time:
    beats at the tempo where the tradition has a pulse; seconds, scaled by tempo/60, where not."""
    beat = 60.0 / tempo_bpm
    tonic_midi = float(midi_number(tonic_hz))
    events, t = [], 0.0
    for n in notes:
        seconds = n.duration * beat if pulse else n.duration * 60.0 / tempo_bpm
        quarters = seconds / beat
        midi = None if n.step is None else tonic_midi + pitch_set.cents_of(n.step, n.deviation) / 100.0
        events.append(Event(t, seconds, quarters, midi, n.phrase_end))
        t += seconds
    return events


def _quantised(quarters: float) -> float:
    """Score durations on a 1/12-quarter grid (sixteenths and triplets both exact)."""
    return max(1, round(quarters * 12)) / 12


def musicxml(events: list[Event], *, title: str, credit: str, tempo_bpm: float, metre: str | None = "4/4",
             names: list[str | None] | None = None, aeu: bool = False, letters: list[str] | None = None) -> bytes:
    """A metered tradition's example in its ``metre`` (the time signature its corpus shows,
    generation/ml/metre.py) at its tempo; a free-rhythm one (``metre`` None) unmetered
    (``_unmetered``). Either way the exact pitches are written back afterwards, and ``names`` (the
    tradition's own name for each pitched note's degree) under the staff; ``aeu``: Arel-Ezgi-Uzdilek
    signs for Turkish makam instead of the staff's accidentals, each pitched note on its ``letters``
    (music.pitch.scale_letters) where given."""
    from music21 import metadata, meter, stream, tempo

    score = stream.Score()
    score.metadata = metadata.Metadata(title=title)
    score.metadata.composer = AI_MARK
    score.metadata.copyright = credit
    if metre is None:
        score.append(_unmetered(events))
        return _write_alters(_music21_xml(score, make_notation=False), [e.midi for e in events if e.midi is not None],
                             unnumbered=True, names=names, aeu=aeu, letters=letters)
    part = stream.Part()
    part.append(tempo.MetronomeMark(number=round(tempo_bpm)))
    part.append(meter.TimeSignature(metre))
    for e in events:
        part.append(_written(e, _quantised(e.quarters)))
    score.append(part)
    return _write_alters(_music21_xml(score), [e.midi for e in events if e.midi is not None], names=names, aeu=aeu,
                         letters=letters)


def _written(event: Event, quarters: float):
    from music21 import note

    if event.midi is None:
        return note.Rest(quarterLength=quarters)
    written = note.Note(quarterLength=quarters)
    written.pitch.midi = round(event.midi)
    return written


SIMPLE_VALUES = (0.5, 1.0, 2.0, 4.0)  # quarters: eighth, quarter, half, whole
MAX_NOTES_A_GROUP = 8  # a long phrase is split (with no visible bar) so that lines can break


def simple_value(quarters: float, typical: float) -> float:
    """A free-rhythm note's written value: its length against the example's typical note (written
    as a quarter), to the nearest of a few simple values on a log scale."""
    ratio = max(quarters, 1e-6) / max(typical, 1e-6)
    return min(SIMPLE_VALUES, key=lambda value: abs(math.log(value) - math.log(ratio)))


def _unmetered(events: list[Event]):
    """Free rhythm as a student reads it: no time signature and no metronome mark, a few simple
    note values (the exact timing stays in the audio and the MIDI), and a short tick at each phrase
    end instead of bar lines (a long phrase is split by invisible bars, where a line may break)."""
    from music21 import bar, clef, expressions, meter, stream

    typical = float(np.median([e.quarters for e in events])) if events else 1.0
    part = stream.Part()
    measure, in_measure = stream.Measure(number=1), 0
    pitched = stream.Stream([_written(e, 1.0) for e in events if e.midi is not None])
    measure.insert(0, clef.bestClef(pitched, recurse=True) if pitched.notes else clef.TrebleClef())
    measure.insert(0, meter.SenzaMisuraTimeSignature())  # music21 would otherwise tie notes across a 4/4
    measure.insert(0, expressions.TextExpression("free rhythm"))
    for index, e in enumerate(events):
        measure.append(_written(e, simple_value(e.quarters, typical)))
        in_measure += 1
        last = index == len(events) - 1
        if e.phrase_end or last or in_measure >= MAX_NOTES_A_GROUP:
            measure.rightBarline = bar.Barline("final" if last else "tick" if e.phrase_end else "none")
            part.append(measure)
            measure, in_measure = stream.Measure(number=measure.number + 1), 0
    return part


def _music21_xml(score, *, make_notation: bool = True) -> bytes:
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    exporter = GeneralObjectExporter(score)
    exporter.makeNotation = make_notation  # off: the measures are written as built, never re-barred in 4/4
    return exporter.parse()


def _write_alters(xml: bytes, pitches: list[float], *, unnumbered: bool = False, names: list[str | None] | None = None,
                  aeu: bool = False, letters: list[str] | None = None) -> bytes:
    """Set each written note's pitch and accidental from the exact pitch; the tied
    continuations of a note (those with a tie stop) get the same. ``unnumbered``: the measures
    are implicit (no bar numbers where the music has no bars). ``names``: one per pitched note,
    written under its first written note."""
    head, _, body = xml.partition(b"<score-partwise")
    root = ET.fromstring(b"<score-partwise" + body)
    if unnumbered:
        for measure in root.iter("measure"):
            measure.set("implicit", "yes")
    index = -1
    for element in root.iter("note"):
        if element.find("pitch") is None:
            continue
        continued = any(t.get("type") == "stop" for t in element.findall("tie"))
        if not continued:
            index += 1
        write_pitch(element, pitches[index], aeu=aeu, letter=letters[index] if letters else None)
        if names and names[index] and not continued:
            write_lyric(element, names[index])
    identification = root.find("identification")
    if identification is not None:
        misc = identification.find("miscellaneous")
        if misc is None:
            misc = ET.SubElement(identification, "miscellaneous")
        field = ET.SubElement(misc, "miscellaneous-field", name="ai-generated")
        field.text = AI_MARK
    return head + ET.tostring(root, encoding="unicode").encode()


def svg_pages(xml: bytes, *, scale: int = 40, page_width: int = 2100) -> list[str]:
    """The score engraved by verovio: pages as tall as their music, each an SVG of its own."""
    import verovio

    toolkit = verovio.toolkit()
    toolkit.setOptions({"adjustPageHeight": True, "pageWidth": page_width, "scale": scale, "footer": "none",
                        "header": "none", "breaks": "auto"})
    if not toolkit.loadData(xml.decode()):
        raise ValueError("verovio could not read the MusicXML")
    return [re.sub(r"(<svg\b[^>]*>)", rf"\1<desc>{AI_MARK}</desc>", toolkit.renderToSVG(page), count=1)
            for page in range(1, toolkit.getPageCount() + 1)]


def svg(xml: bytes) -> str:
    """The score for the screen: one page tall enough for the whole example."""
    return "".join(svg_pages(xml))


def print_pages(xml: bytes) -> list[str]:
    """The score for an A4 page: larger notes, lines as wide as the page's text."""
    return svg_pages(xml, scale=60, page_width=1300)


def midi(events: list[Event], *, tempo_bpm: float, program: int = 73) -> bytes:
    """One track, a pitch bend (range ±2 semitones) before each note, the AI mark as text."""
    notes = [(e.midi, e.start, e.start + max(0.02, e.seconds * 0.95)) for e in events if e.midi is not None]
    return write_midi(notes, program=program, name=AI_MARK, tempo=tempo_bpm, text=AI_MARK)


def midi_pitches(data: bytes) -> list[float]:
    """Read back the exact pitch of each note: key plus the bend in force at its start."""
    import pretty_midi

    pm = pretty_midi.PrettyMIDI(io.BytesIO(data))
    out = []
    for instrument in pm.instruments:
        bends = sorted(instrument.pitch_bends, key=lambda b: b.time)
        for n in sorted(instrument.notes, key=lambda n: n.start):
            value = 0
            for b in bends:
                if b.time <= n.start + 1e-6:
                    value = b.pitch
            out.append(n.pitch + value / 8192 * BEND_RANGE_SEMITONES)
    return out


DEFAULT_TIMBRE = tuple(1.0 / k ** 1.3 for k in range(1, 9))


def synthesise(events: list[Event], *, sample_rate: int = 44100, timbre: tuple[float, ...] = DEFAULT_TIMBRE) -> np.ndarray:
    """A harmonic voice at each note's exact frequency, with short attack and release."""
    total = events[-1].start + events[-1].seconds + 0.3 if events else 0.0
    out = np.zeros(int(total * sample_rate) + 1)
    weights = np.array(timbre) / np.sum(timbre)
    for e in events:
        if e.midi is None:
            continue
        n = int(e.seconds * sample_rate)
        if n <= 0:
            continue
        t = np.arange(n) / sample_rate
        wave = np.zeros(n)
        for k, w in enumerate(weights, start=1):
            if e.hz * k < sample_rate / 2:
                wave += w * np.sin(2 * np.pi * e.hz * k * t)
        envelope = np.minimum(1.0, t / 0.02) * np.minimum(1.0, (e.seconds - t) / 0.05).clip(0, 1)
        first = int(e.start * sample_rate)
        out[first:first + n] += 0.4 * wave * envelope
    return out.astype(np.float32)


def wav(audio: np.ndarray, *, sample_rate: int = 44100, title: str, credit: str) -> bytes:
    """16-bit WAV with INFO fields: title, the credit, and the AI-generated mark."""
    import soundfile as sf

    buffer = io.BytesIO()
    with sf.SoundFile(buffer, "w", samplerate=sample_rate, channels=1, subtype="PCM_16", format="WAV") as f:
        f.title = title
        f.copyright = credit
        f.comment = AI_MARK
        f.software = "Songkeeper"
        f.write(audio)
    return buffer.getvalue()


def ogg(audio: np.ndarray, *, sample_rate: int = 44100, title: str, credit: str, block_seconds: float = 20.0) -> bytes:
    """Ogg Vorbis with the same tags as the WAV: a tenth of its size, for phones and classrooms.
    Written in blocks: libsndfile crashes writing Vorbis longer than about 47 s in one call."""
    import soundfile as sf

    buffer = io.BytesIO()
    with sf.SoundFile(buffer, "w", samplerate=sample_rate, channels=1, format="OGG", subtype="VORBIS") as f:
        f.title = title
        f.copyright = credit
        f.comment = AI_MARK
        f.software = "Songkeeper"
        block = int(block_seconds * sample_rate)
        for start in range(0, max(len(audio), 1), block):
            f.write(audio[start:start + block])
    return buffer.getvalue()


def example_files(events: list[Event], *, title: str, credit: str, tempo_bpm: float, metre: str | None = "4/4",
                  names: list[str | None] | None = None, aeu: bool = False, letters: list[str] | None = None,
                  timbre: tuple[float, ...] = DEFAULT_TIMBRE,
                  audio: np.ndarray | None = None) -> dict[str, bytes]:
    """Every file of one example: MusicXML, its SVG, MIDI, and the audio as WAV and Ogg Vorbis
    (``audio``: given, for an item whose sound is not all synthesised, such as a call and response)."""
    xml = musicxml(events, title=title, credit=credit, tempo_bpm=tempo_bpm, metre=metre, names=names, aeu=aeu,
                         letters=letters)
    audio = synthesise(events, timbre=timbre) if audio is None else audio
    return {"musicxml": xml, "svg": svg(xml).encode(), "midi": midi(events, tempo_bpm=tempo_bpm),
            "audio": wav(audio, title=title, credit=credit), "ogg": ogg(audio, title=title, credit=credit)}


def call_and_response(call: np.ndarray, answer_events: list[Event], *, sample_rate: int = 44100, gap: float = 0.4,
                      silent: bool = False, timbre: tuple[float, ...] = DEFAULT_TIMBRE) -> np.ndarray:
    """The real call, a breath, then the generated answer; or, ``silent``, as long a silence for the
    student to sing it. The call is brought to the answer's level."""
    answer = synthesise(answer_events, sample_rate=sample_rate, timbre=timbre)
    if silent:
        answer = np.zeros_like(answer)
    peak = float(np.max(np.abs(call))) if len(call) else 0.0
    call = (call * (0.5 / peak)).astype(np.float32) if peak > 0 else call.astype(np.float32)
    return np.concatenate([call, np.zeros(int(gap * sample_rate), np.float32), answer]).astype(np.float32)
