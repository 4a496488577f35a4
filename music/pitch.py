"""Exact (fractional MIDI) pitches: from a frequency, and spelled for notation (the staff's
sharps, flats and quarter tones, or Turkish makam's Arel-Ezgi-Uzdilek signs)."""
import math

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


COMMAS = 53  # Holdrian commas in an octave: the unit of Turkish makam theory
AEU_NATURALS = (("C", 0, 0), ("D", 9, 2), ("E", 18, 4), ("F", 22, 5), ("G", 31, 7), ("A", 40, 9), ("B", 49, 11))
# Arel-Ezgi-Uzdilek accidentals, in commas: (MusicXML accidental-value, SMuFL glyph). The values are
# those whose look the MusicXML standard gives the sign; the glyph names it exactly (verovio draws it).
AEU_ACCIDENTALS = {1: ("slash-sharp", "accidentalKomaSharp"), 4: ("sharp", "accidentalBakiyeSharp"),
                   5: ("sharp", "accidentalKucukMucennebSharp"), 8: ("slash-quarter-sharp", "accidentalBuyukMucennebSharp"),
                   -1: ("other", "accidentalKomaFlat"), -4: ("slash-flat", "accidentalBakiyeFlat"),
                   -5: ("flat", "accidentalKucukMucennebFlat"), -8: ("double-slash-flat", "accidentalBuyukMucennebFlat")}


def spell_aeu(exact: float, letter: str | None = None) -> tuple[str, float, int, tuple[str, str] | None]:
    """Step, decimal alter, octave and the Arel-Ezgi-Uzdilek accidental (MusicXML value, SMuFL
    glyph; None on a natural) for an exact pitch: the AEU natural (Pythagorean: E and B a comma above
    12-TET's) and sign nearest it in commas, the smaller sign where two are as near. ``letter``: the
    step the scale gives this degree (so that a makam's degrees keep their letters, C♯ rather than
    D♭), taken where one of its signs lies within a comma and a half. The alter stays exact
    (semitones from the 12-TET step), so no sign ever rounds the sounding pitch."""
    commas = (exact - 60.0) * COMMAS / 12.0  # from middle C
    if letter is not None:
        lettered = _nearest_aeu(commas, [n for n in AEU_NATURALS if n[0] == letter])
        if lettered[0][0] <= 1.5:
            return _aeu_spelling(exact, lettered)
    return _aeu_spelling(exact, _nearest_aeu(commas, AEU_NATURALS))


def _nearest_aeu(commas: float, naturals) -> tuple:
    best = None
    for octave in range(math.floor(commas / COMMAS) - 1, math.floor(commas / COMMAS) + 2):
        for step, position, semitone in naturals:
            for sign in (0, *AEU_ACCIDENTALS):
                error = abs(commas - (octave * COMMAS + position + sign))
                key = (round(error, 6), abs(sign), sign > 0)
                if best is None or key < best[0]:
                    best = (key, step, octave, semitone, sign)
    return best


def _aeu_spelling(exact: float, found: tuple) -> tuple[str, float, int, tuple[str, str] | None]:
    _, step, octave, semitone, sign = found
    alter = round(exact - (60 + 12 * octave + semitone), 3)
    return step, alter, octave + 4, AEU_ACCIDENTALS.get(sign)


LETTERS = "CDEFGAB"


def scale_letters(tonic_midi: float, steps: list[int], degrees: int) -> list[str] | None:
    """The letter of each note's degree in a seven-degree scale, counted from the tonic's letter, so
    that a makam's or a mode's degrees each keep one letter; None for scales of another size."""
    if degrees != len(LETTERS):
        return None
    first = LETTERS.index(spell_aeu(tonic_midi)[0])
    return [LETTERS[(first + step % degrees) % degrees] for step in steps]


def own_fifth(degrees_cents: list[float], *, within: float = 60.0) -> float | None:
    """A tradition's own fifth, for a practice drone: its degree nearest a just fifth (702 cents),
    if one lies within ``within`` cents of it; None where the tradition has none."""
    if not degrees_cents:
        return None
    near = min(degrees_cents, key=lambda cents: abs(cents - 702.0))
    return round(float(near), 1) if abs(near - 702.0) <= within else None
