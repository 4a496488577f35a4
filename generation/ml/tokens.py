"""The symbolic representation style models learn: a note is a step of the tradition's own
pitch set (degree + octave, counted from the tonic, never a 12-TET semitone), a microtonal
deviation from that degree, a duration (in beats where the tradition has a pulse, in seconds
where it has none) and whether it ends a phrase. Rests are notes without a step."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

DURATION_BINS = (0.125, 0.1667, 0.25, 0.3333, 0.5, 0.6667, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
REST = None


@dataclass(frozen=True)
class PitchSet:
    """Scale degrees in cents above the tonic, within one octave, ascending, starting at 0."""

    cents: tuple[float, ...]
    octave: float = 1200.0

    def __post_init__(self):
        if not self.cents or self.cents[0] != 0 or any(b <= a for a, b in zip(self.cents, self.cents[1:], strict=False)):
            raise ValueError("a pitch set starts at 0 cents and ascends")
        if self.cents[-1] >= self.octave:
            raise ValueError("a pitch set lies within one octave")

    @property
    def size(self) -> int:
        return len(self.cents)

    @classmethod
    def equal(cls, divisions: int, octave: float = 1200.0) -> PitchSet:
        """An equal division of the octave: 12 for chromatic pitch, 53 for Turkish makam commas."""
        return cls(tuple(octave * i / divisions for i in range(divisions)), octave)

    def cents_of(self, step: int, deviation: float = 0.0) -> float:
        octave, degree = divmod(step, self.size)
        return octave * self.octave + self.cents[degree] + deviation

    def locate(self, cents: float) -> tuple[int, float]:
        """The nearest step to a pitch in cents from the tonic, and the deviation from it."""
        octave = math.floor(cents / self.octave)
        within = cents - octave * self.octave
        candidates = [*self.cents, self.octave]
        degree = int(np.argmin([abs(within - c) for c in candidates]))
        if degree == self.size:
            octave, degree = octave + 1, 0
        step = octave * self.size + degree
        return step, cents - self.cents_of(step)

    def degree_of(self, step: int) -> int:
        return step % self.size


@dataclass
class Note:
    step: int | None          # None: a rest
    duration: float           # beats (pulse) or seconds (free rhythm)
    deviation: float = 0.0    # cents from the step's degree, where the tradition bends it
    phrase_end: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Piece:
    """One melody: the unit that train/held-out splits keep whole."""

    notes: list[Note]
    name: str = ""
    source: str = ""
    meta: dict = field(default_factory=dict)


def duration_bin(duration: float) -> int:
    """The nearest duration class in log time (a dotted note and a triplet stay apart)."""
    value = max(duration, 1e-6)
    return int(np.argmin([abs(math.log2(value / b)) for b in DURATION_BINS]))


def duration_symbol(note: Note) -> int:
    return duration_bin(note.duration) * 2 + int(note.phrase_end)


def symbol_duration(symbol: int) -> tuple[float, bool]:
    return DURATION_BINS[symbol // 2], bool(symbol % 2)


DURATION_ALPHABET = len(DURATION_BINS) * 2


@dataclass(frozen=True)
class Vocabulary:
    """Pitch symbols: the steps a corpus uses (a margin around them) and a rest."""

    low: int
    high: int

    @classmethod
    def for_pieces(cls, pieces: list[Piece], margin: int = 0) -> Vocabulary:
        steps = [n.step for p in pieces for n in p.notes if n.step is not None]
        if not steps:
            raise ValueError("no pitched notes to learn from")
        return cls(min(steps) - margin, max(steps) + margin)

    @property
    def size(self) -> int:
        return self.high - self.low + 2  # the steps, then the rest

    @property
    def rest(self) -> int:
        return self.size - 1

    def encode(self, step: int | None) -> int:
        if step is None:
            return self.rest
        if not self.low <= step <= self.high:
            raise ValueError(f"step {step} is outside the vocabulary {self.low}..{self.high}")
        return step - self.low

    def decode(self, symbol: int) -> int | None:
        return None if symbol == self.rest else symbol + self.low

    def steps(self) -> np.ndarray:
        """The step of every pitch symbol (the rest as a large sentinel that no leap allows)."""
        out = np.arange(self.low, self.high + 2, dtype=float)
        out[-1] = np.nan
        return out


def encode_piece(piece: Piece, vocab: Vocabulary) -> tuple[list[int], list[int]]:
    """A piece as two aligned symbol streams: pitch and duration (with the phrase-end flag)."""
    return [vocab.encode(n.step) for n in piece.notes], [duration_symbol(n) for n in piece.notes]
