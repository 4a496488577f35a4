"""Exact (fractional MIDI) pitches: from a frequency, and spelled for notation."""
import numpy as np

STEPS = [("C", 0), ("C", 1), ("D", 0), ("D", 1), ("E", 0), ("F", 0), ("F", 1), ("G", 0), ("G", 1), ("A", 0),
         ("A", 1), ("B", 0)]
ACCIDENTALS = {-1.5: "three-quarters-flat", -1.0: "flat", -0.5: "quarter-flat", 0.0: None, 0.5: "quarter-sharp",
               1.0: "sharp", 1.5: "three-quarters-sharp"}


def midi_number(hz: float) -> float:
    return 69 + 12 * np.log2(hz / 440.0)


def spell(exact: float) -> tuple[str, float, int, str | None]:
    """Step, decimal alter, octave and the written accidental nearest to an exact (fractional)
    MIDI pitch. A deviation under a quarter tone gets a natural: readers such as music21 take
    a decimal alter only beside a written accidental (musicxml.py writes it)."""
    key = int(round(exact))
    step, sharp = STEPS[key % 12]
    alter = round(sharp + (exact - key), 3)
    shown = ACCIDENTALS[min(ACCIDENTALS, key=lambda a: abs(a - alter))]
    if shown is None and alter:
        shown = "natural"
    return step, alter, key // 12 - 1, shown


def own_fifth(degrees_cents: list[float], *, within: float = 60.0) -> float | None:
    """A tradition's own fifth, for a practice drone: its degree nearest a just fifth (702 cents),
    if one lies within ``within`` cents of it; None where the tradition has none."""
    if not degrees_cents:
        return None
    near = min(degrees_cents, key=lambda cents: abs(cents - 702.0))
    return round(float(near), 1) if abs(near - 702.0) <= within else None
