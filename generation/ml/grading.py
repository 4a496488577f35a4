"""A practice set graded from easy to hard: each example's constraints, from the first (short,
narrow, small steps, long notes) to the last (as long and wide as asked, with the leaps and note
values the tradition's own pieces show). Difficulty is in the tradition's own terms: its levels
(sampling.difficulty_levels) and its degrees."""
from dataclasses import replace

from .sampling import Constraints, Unsatisfiable, sample
from .tokens import Note

SHORTEST = 8  # notes in the first example
FIRST_BARS = 2  # bars in the first example, where the set is asked for in bars
ORDER = ("easy", "medium", "tradition")


def graded(base: Constraints, *, count: int, levels: dict, degrees: int, tonic_step: int = 0,
           bar_beats: float | None = None) -> list[Constraints]:
    """``base`` holds what the educator asked for (length, range, ends, seed); the set's examples
    grow towards it. ``degrees``: how many degrees the pitch set has in an octave; ``tonic_step``:
    the tonic's step (0 in the archive's models, whose steps count from it); ``bar_beats``: a bar's
    length, where the length was asked in bars (each example then fills whole bars)."""
    steps = []
    for index in range(count):
        share = index / (count - 1) if count > 1 else 1.0
        level = levels.get(ORDER[min(len(ORDER) - 1, int(share * len(ORDER)))]) or {}
        length = round(min(SHORTEST, base.length_notes) + share * max(0, base.length_notes - SHORTEST))
        beats = None
        if base.length_beats is not None and bar_beats:
            asked = max(1, round(base.length_beats / bar_beats))
            beats = bar_beats * round(min(FIRST_BARS, asked) + share * max(0, asked - FIRST_BARS))
            length = max(2, round(base.length_notes * beats / base.length_beats))
        low, high = _range(base, share, degrees, tonic_step)
        steps.append(replace(base, length_notes=length, length_beats=beats, low_step=low, high_step=high,
                             max_leap=_tighter(base.max_leap, level.get("max_leap")),
                             min_duration=_looser(base.min_duration, level.get("min_duration")),
                             seed=base.seed + index))
    return steps


def _range(base: Constraints, share: float, degrees: int, tonic: int) -> tuple[int, int]:
    """From the tonic to a fifth or so above it, to the range asked (an octave and a half by default)."""
    low_end = base.low_step if base.low_step is not None else tonic - degrees // 2
    high_end = base.high_step if base.high_step is not None else tonic + degrees + degrees // 2
    first_low = min(max(low_end, tonic), high_end)
    first_high = max(min(high_end, tonic + degrees // 2 + 1), first_low)
    return round(first_low + share * (low_end - first_low)), round(first_high + share * (high_end - first_high))


def sample_graded(predictor, vocab, degrees: int, constraints: Constraints, base: Constraints, *,
                  tonic_step: int = 0) -> tuple[list[Note], Constraints]:
    """One example of the set; where its narrow, early step is more than the model can meet, with
    the range and leaps asked for the whole set instead (raises Unsatisfiable if even that fails)."""
    try:
        return sample(predictor, vocab, degrees, constraints, tonic_step=tonic_step), constraints
    except Unsatisfiable:
        loosened = replace(constraints, low_step=base.low_step, high_step=base.high_step, max_leap=base.max_leap)
        return sample(predictor, vocab, degrees, loosened, tonic_step=tonic_step), loosened


def _tighter(asked, level):
    values = [v for v in (asked, level) if v is not None]
    return min(values) if values else None


def _looser(asked, level):
    values = [v for v in (asked, level) if v is not None]
    return max(values) if values else None
