"""Symbolic transcriptions a community attaches to a recording: MusicXML, MIDI, ABC or
Humdrum kern, read into notes with exact pitch (fractional MIDI: cents kept). Pure: bytes in,
notes out. Traps handled: MIDI is read with pretty_midi so that each note's pitch bend counts
(music21 ignores bends); music21 reads ABC quarter-tone accidentals as plain sharps and flats,
so such ABC is refused rather than silently rounded."""
from __future__ import annotations

import hashlib
import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

FORMATS = ("musicxml", "midi", "abc", "kern")
KEPT_SCORES = 256  # melodies read, by content: a score is read on attaching and again on every training
ABC_QUARTER_TONE = re.compile(r"(\^/|_/|\^\d+/\d*|_\d+/\d*)[A-Ga-g]")


class ScoreError(ValueError):
    """The file is not a score this archive can read (the message says why)."""


@dataclass(frozen=True)
class ScoreNote:
    midi: float | None  # None: a rest
    quarters: float
    fermata: bool = False
    metre: str | None = None  # the time signature in force ("3/4"), where the score gives one


def detect_format(data: bytes, name: str) -> str:
    head = data[:2048].lstrip()
    lower = name.lower()
    if data[:4] == b"MThd":
        return "midi"
    if data[:2] == b"PK" or b"<score-partwise" in head or b"<score-timewise" in head or lower.endswith((".musicxml", ".mxl")):
        return "musicxml"
    if head.startswith(b"**kern") or b"\n**kern" in head or lower.endswith(".krn"):
        return "kern"
    if re.search(rb"^X:\s*\d+", head, re.M) or lower.endswith(".abc"):
        return "abc"
    raise ScoreError("not a score: send MusicXML (.musicxml/.mxl), MIDI (.mid), ABC (.abc) or Humdrum kern (.krn)")


_kept: OrderedDict = OrderedDict()
_kept_lock = threading.Lock()


def read_score(data: bytes, name: str = "") -> tuple[str, list[ScoreNote]]:
    """The format and the melody (the top line of the first part) of a score file. The same bytes
    read again (a corpus's scores, each time a model trains on them) are answered from the last
    KEPT_SCORES readings: music21 takes a tenth of a second or more for a short tune."""
    if not data:
        raise ScoreError("the file is empty")
    fmt = detect_format(data, name)
    key = (fmt, hashlib.sha256(data).digest())
    with _kept_lock:
        if key in _kept:
            _kept.move_to_end(key)
            return fmt, list(_kept[key])
    notes = _read(data, fmt)
    with _kept_lock:
        _kept[key] = tuple(notes)
        while len(_kept) > KEPT_SCORES:
            _kept.popitem(last=False)
    return fmt, notes


def _read(data: bytes, fmt: str) -> list[ScoreNote]:
    if fmt == "midi":
        notes = _read_midi(data)
    else:
        if fmt == "abc" and ABC_QUARTER_TONE.search(data.decode("utf-8", errors="replace")):
            raise ScoreError("this ABC has quarter-tone accidentals, which music21 would read as plain sharps "
                             "and flats: send the score as MusicXML (decimal <alter>) to keep its microtones")
        notes = _read_music21(data, fmt)
    if not any(n.midi is not None for n in notes):
        raise ScoreError("the score has no notes")
    return notes


def _read_music21(data: bytes, fmt: str) -> list[ScoreNote]:
    from music21 import converter

    try:
        if fmt == "musicxml" and data[:2] == b"PK":
            parsed = converter.parseData(data, format="musicxml")
        else:
            parsed = converter.parseData(data.decode("utf-8", errors="strict"), format={"musicxml": "musicxml",
                                         "abc": "abc", "kern": "humdrum"}[fmt])
    except Exception as exc:  # music21 raises many kinds; all mean "unreadable"
        raise ScoreError(f"music21 could not read this {fmt}: {str(exc)[:200]}") from None
    from music21 import stream

    return melody(parsed.scores[0] if isinstance(parsed, stream.Opus) else parsed)


def melody(score) -> list[ScoreNote]:
    """The top line of a music21 score's first part: exact pitches (fractional MIDI), lengths in
    quarters, rests, fermatas, the time signature in force; grace notes (no length) left out."""
    from music21 import expressions, meter

    part = score.parts[0] if getattr(score, "parts", None) else score
    flat = part.flatten()
    signatures = [(float(ts.offset), ts.ratioString) for ts in flat.getElementsByClass(meter.TimeSignature)]
    out = []
    for element in flat.notesAndRests:
        quarters = float(element.quarterLength)
        if quarters <= 0:
            continue
        metre = next((ratio for offset, ratio in reversed(signatures) if offset <= float(element.offset) + 1e-9), None)
        if element.isRest:
            out.append(ScoreNote(None, quarters, metre=metre))
            continue
        fermata = any(isinstance(e, expressions.Fermata) for e in element.expressions)
        out.append(ScoreNote(float(element.pitches[-1].ps), quarters, fermata, metre))
    return out


def _read_midi(data: bytes) -> list[ScoreNote]:
    import pretty_midi

    try:
        pm = pretty_midi.PrettyMIDI(io.BytesIO(data))
    except Exception as exc:
        raise ScoreError(f"not a readable MIDI file: {str(exc)[:200]}") from None
    instruments = [i for i in pm.instruments if not i.is_drum and i.notes]
    if not instruments:
        raise ScoreError("the MIDI file has no pitched notes")
    track = instruments[0]
    metre = next((f"{ts.numerator}/{ts.denominator}" for ts in pm.time_signature_changes), None)
    bend_range = 2.0
    bends = sorted(track.pitch_bends, key=lambda b: b.time)
    notes = sorted(track.notes, key=lambda n: (n.start, -n.pitch))
    out: list[ScoreNote] = []
    clock = 0.0
    for note in notes:
        if out and note.start < clock - 1e-6:
            continue  # a chord or an overlap: keep the melody's top note that started first
        bend = 0
        for b in bends:
            if b.time <= note.start + 1e-6:
                bend = b.pitch
        gap = note.start - clock
        if gap > 0.05:
            out.append(ScoreNote(None, pm.time_to_tick(gap) / pm.resolution, metre=metre))
        start, end = pm.time_to_tick(note.start), pm.time_to_tick(note.end)
        out.append(ScoreNote(note.pitch + bend / 8192 * bend_range, max(1, end - start) / pm.resolution, metre=metre))
        clock = note.end
    return out
