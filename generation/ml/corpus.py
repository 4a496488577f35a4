"""Symbolic corpora as Pieces: scores music21 reads (MusicXML, MIDI, ABC, Humdrum kern),
SymbTr's Turkish makam scores (pitch in Holdrian commas, 53 to the octave), and the notes
the audio analysis transcribed (cents from the tonic, mapped onto the tradition's pitch set)."""
from __future__ import annotations

import csv
import io
import math
import random
import tarfile
from collections.abc import Iterable
from pathlib import Path

from music.scores import melody

from .metre import estimate, piece_metre
from .tokens import Note, Piece, PitchSet

PHRASE_GAP_SECONDS = 0.5
USUL_ROW = 51  # SymbTr's code for the row that names the usul, with its metre in Pay/Payda


def music21_pieces(source, *, limit: int | None = None) -> list[Piece]:
    """Monophonic melodies from a file, a music21 corpus name, or a parsed stream.
    Steps are MIDI numbers with cents kept as the deviation (12 equal degrees); the tonic
    step is the key's tonic pitch class; durations are in quarter notes."""
    from music21 import converter, corpus, stream

    if isinstance(source, stream.Stream):
        parsed = source
    elif isinstance(source, (str, Path)) and Path(source).exists():
        parsed = converter.parse(str(source))
    else:
        parsed = corpus.parse(str(source))
    scores = list(parsed.scores) if isinstance(parsed, stream.Opus) else [parsed]
    pieces = []
    for index, score in enumerate(scores[:limit] if limit else scores):
        piece = score_piece(score, name=_title(score, index))
        if piece.notes:
            pieces.append(piece)
    return pieces


def _title(score, index: int) -> str:
    meta = score.metadata
    return (meta.title if meta is not None and meta.title else "") or f"piece {index + 1}"


def score_piece(score, *, name: str = "") -> Piece:
    """A music21 score's melody (music.scores reads it, as for uploaded scores) in MIDI steps."""
    from music21 import key

    piece = scored_piece(melody(score), PitchSet.equal(12), tonic_midi=0.0, name=name)
    part = score.parts[0] if score.parts else score
    found = part.recurse().getElementsByClass(key.KeySignature).first()
    tonic = 0
    if found is not None:
        k = found if isinstance(found, key.Key) else found.asKey("major")
        tonic = k.tonic.pitchClass
    piece.meta = {**piece.meta, "tonic_step": tonic, "degrees": 12}
    return piece


def symbtr_pieces(archive: Path, *, limit: int | None = None, makams: Iterable[str] | None = None) -> list[Piece]:
    """SymbTr txt scores: Koma53 is the pitch in commas (53 per octave), Pay/Payda the length
    as a fraction of a whole note. The tonic is the final note (makam pieces end on the karar)."""
    wanted = set(makams) if makams else None
    pieces = []
    with tarfile.open(archive) as tar:
        for member in sorted((m for m in tar.getmembers() if m.name.endswith(".txt")), key=lambda m: m.name):
            name = Path(member.name).stem
            makam = name.split("--")[0]
            if wanted and makam not in wanted:
                continue
            text = tar.extractfile(member).read().decode("utf-8", errors="replace")
            piece = _symbtr_piece(text, name, makam)
            if piece is not None:
                pieces.append(piece)
            if limit and len(pieces) >= limit:
                break
    return pieces


def _symbtr_piece(text: str, name: str, makam: str) -> Piece | None:
    notes: list[Note] = []
    usul = {}
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        try:
            code, koma, num, den = int(row["Kod"]), int(row["Koma53"]), int(row["Pay"]), int(row["Payda"])
        except (KeyError, TypeError, ValueError):
            continue
        if code == USUL_ROW and not usul and num > 0 and den > 0:  # the usul's name and its metre
            usul = {"usul": (row.get("Soz1") or "").strip(), "metre": f"{num}/{den}"}
        if code != 9 or num <= 0 or den <= 0:
            continue
        duration = 4.0 * num / den
        if koma < 0:
            if notes:
                notes[-1].phrase_end = True
                notes.append(Note(None, duration))
            continue
        notes.append(Note(koma, duration))
    while notes and notes[-1].step is None:
        notes.pop()
    if len(notes) < 8:
        return None
    notes[-1].phrase_end = True
    return Piece(notes, name=name, source="symbtr",
                 meta={"makam": makam, "tonic_step": notes[-1].step, "degrees": 53, **usul})


def transcribed_piece(notes: list[dict], pitch_set: PitchSet, *, name: str = "", beat_seconds: float | None = None) -> Piece:
    """The analysis's notes (onset and duration in seconds, cents from the tonic) on the
    tradition's pitch set. With a pulse, durations become beats; without one they stay seconds.
    A silence of half a second or more ends a phrase."""
    out: list[Note] = []
    ordered = sorted(notes, key=lambda n: n["onset"])
    for i, n in enumerate(ordered):
        if n.get("cents") is None or not math.isfinite(n["cents"]):
            continue
        step, deviation = pitch_set.locate(float(n["cents"]))
        duration = float(n["duration"]) / beat_seconds if beat_seconds else float(n["duration"])
        gap = ordered[i + 1]["onset"] - (n["onset"] + n["duration"]) if i + 1 < len(ordered) else math.inf
        out.append(Note(step, duration, deviation=round(deviation, 1), phrase_end=gap >= PHRASE_GAP_SECONDS))
    fold_octave_errors(out, pitch_set.size)
    meta = {"tonic_step": 0, "degrees": pitch_set.size}
    metre = estimate([(n["onset"] / beat_seconds, n["duration"] / beat_seconds) for n in ordered
                      if n.get("cents") is not None]) if beat_seconds else None
    if metre:
        meta.update(metre=metre, metre_estimated=True)
    return Piece(out, name=name, source="analysis", meta=meta)


def scored_piece(notes, pitch_set: PitchSet, *, tonic_midi: float, name: str = "",
                 seconds_per_quarter: float | None = None) -> Piece:
    """A score's melody (exact fractional MIDI pitches, lengths in quarters) on the tradition's
    pitch set; quarters are beats, or seconds at the recording's tempo for free rhythm."""
    out: list[Note] = []
    for n in notes:
        duration = n.quarters * seconds_per_quarter if seconds_per_quarter else n.quarters
        if n.midi is None:
            if out:
                out[-1].phrase_end = True
                out.append(Note(None, duration))
            continue
        step, deviation = pitch_set.locate((n.midi - tonic_midi) * 100.0)
        out.append(Note(step, duration, deviation=round(deviation, 1), phrase_end=bool(getattr(n, "fermata", False))))
    while out and out[-1].step is None:
        out.pop()
    if out:
        out[-1].phrase_end = True
    meta = {"tonic_step": 0, "degrees": pitch_set.size}
    metre = None if seconds_per_quarter else piece_metre([(n.metre, n.quarters) for n in notes])
    if metre:
        meta["metre"] = metre
    return Piece(out, name=name, source="score", meta=meta)


def fold_octave_errors(notes: list[Note], degrees: int, *, reach: int = 3) -> int:
    """A pitch tracker now and then reports a note an octave or two off; move such a note by
    whole octaves next to the median of its neighbours (the degree is kept). Returns how many moved."""
    steps = [n.step for n in notes]
    moved = 0
    for i, note in enumerate(notes):
        around = [s for s in steps[max(0, i - reach):i] + steps[i + 1:i + 1 + reach] if s is not None]
        if note.step is None or not around:
            continue
        local = sorted(around)[len(around) // 2]
        octaves = round((local - note.step) / degrees)
        if octaves and abs(note.step + octaves * degrees - local) + degrees <= abs(note.step - local):
            note.step += octaves * degrees
            moved += 1
    return moved


def split_by_piece(pieces: list[Piece], *, held_out: float = 0.2, seed: int = 0) -> tuple[list[Piece], list[Piece]]:
    """Whole pieces go to one side or the other, in a seeded order."""
    order = list(range(len(pieces)))
    random.Random(seed).shuffle(order)
    cut = max(1, round(len(pieces) * held_out)) if len(pieces) > 1 else 0
    test = {i for i in order[:cut]}
    return [p for i, p in enumerate(pieces) if i not in test], [p for i, p in enumerate(pieces) if i in test]
