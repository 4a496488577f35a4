"""MIDI of exact pitches: one channel, each note's microtone as a pitch bend set just before it."""
import io

BEND_RANGE_SEMITONES = 2


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
