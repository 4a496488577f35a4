"""The variable-order Markov style model: PPM over several views of the pitch (the step
itself, the interval from the last note, the degree above the tonic) and over durations,
each as a long-term model of the corpus blended with a short-term model of the piece so far
(IDyOM's LTM+STM). Views are mapped back onto steps and mixed by their entropy."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

import numpy as np

from .ppm import PPM, combine
from .tokens import DURATION_ALPHABET, Vocabulary

VIEWS = ("pitch", "interval", "degree")


@dataclass
class MarkovConfig:
    views: tuple[str, ...] = ("pitch", "interval")  # best on kinder0 in 10-fold CV (make bench)
    max_order: int = 5
    stm_order: int = 5
    escape: str = "C"
    stm_escape: str = "X"
    update_exclusion: bool = True
    bias: float = 1.0
    ltm_stm_bias: float = 1.0
    geometric: bool = False
    short_term: bool = True   # blend in a model of the piece so far (IDyOM's STM)


@dataclass
class SequenceState:
    """What a prediction needs of the piece so far; the short-term models grow with it."""

    pitches: list[int] = field(default_factory=list)
    durations: list[int] = field(default_factory=list)
    tonic_step: int = 0
    view_history: dict[str, list[int]] = field(default_factory=dict)
    stm: dict[str, PPM] = field(default_factory=dict)


class MarkovModel:
    def __init__(self, vocab: Vocabulary, degrees: int, config: MarkovConfig | None = None):
        self.vocab = vocab
        self.degrees = degrees
        self.config = config or MarkovConfig()
        span = vocab.high - vocab.low
        # derived alphabets; the last symbol of each stands for the rest
        self.view_sizes = {"pitch": vocab.size, "interval": 2 * span + 2, "degree": degrees + 1}
        self.ltm = {v: self._new(self.view_sizes[v], long_term=True) for v in self.config.views}
        self.duration_ltm = self._new(DURATION_ALPHABET, long_term=True)
        self._steps = vocab.steps()

    def for_generation(self) -> MarkovModel:
        """The same counts without the short-term model: while sampling, a model of the piece so
        far feeds on its own output and locks into repeating one note (measured in make bench)."""
        twin = copy.copy(self)
        twin.config = replace(self.config, short_term=False)
        return twin

    def _new(self, size: int, *, long_term: bool) -> PPM:
        c = self.config
        return PPM(size, max_order=c.max_order if long_term else c.stm_order,
                   escape=c.escape if long_term else c.stm_escape, update_exclusion=c.update_exclusion)

    # --- views of the pitch -------------------------------------------------
    def _candidates(self, view: str, state: SequenceState) -> np.ndarray | None:
        """The derived symbol of every pitch symbol, given the piece so far (None: view undefined)."""
        size = self.view_sizes[view]
        rest = size - 1
        steps = self._steps
        if view == "pitch":
            return np.arange(self.vocab.size)
        if view == "degree":
            out = np.mod(steps[:-1] - state.tonic_step, self.degrees).astype(int)
            return np.append(out, rest)
        last = state.pitches[-1] if state.pitches else self.vocab.rest
        if last == self.vocab.rest:
            return None
        out = (steps[:-1] - steps[last] + (self.vocab.high - self.vocab.low)).astype(int)
        return np.append(out, rest)

    def _symbol(self, view: str, state: SequenceState, pitch: int) -> int:
        candidates = self._candidates(view, state)
        return -1 if candidates is None else int(candidates[pitch])

    # --- learning -----------------------------------------------------------
    def fit(self, pieces: list[tuple[list[int], list[int], int]]) -> MarkovModel:
        """pieces: (pitch symbols, duration symbols, tonic step) each."""
        for pitches, durations, tonic in pieces:
            state = SequenceState(tonic_step=tonic)
            for p, d in zip(pitches, durations, strict=False):
                for view in self.config.views:
                    history = state.view_history.setdefault(view, [])
                    symbol = self._symbol(view, state, p)
                    self.ltm[view].add(history, symbol)
                    history.append(symbol)
                self.duration_ltm.add(state.durations, d)
                state.pitches.append(p)
                state.durations.append(d)
        return self

    def start(self, tonic_step: int = 0) -> SequenceState:
        state = SequenceState(tonic_step=tonic_step)
        state.stm = {v: self._new(self.view_sizes[v], long_term=False) for v in self.config.views}
        state.stm["duration"] = self._new(DURATION_ALPHABET, long_term=False)
        return state

    def advance(self, state: SequenceState, pitch: int, duration: int) -> None:
        """Append an event to the piece; the short-term models learn it."""
        for view in self.config.views:
            history = state.view_history.setdefault(view, [])
            symbol = self._symbol(view, state, pitch)
            state.stm[view].add(history, symbol)
            history.append(symbol)
        state.stm["duration"].add(state.durations, duration)
        state.pitches.append(pitch)
        state.durations.append(duration)

    # --- prediction ---------------------------------------------------------
    def predict_pitch(self, state: SequenceState) -> np.ndarray:
        c = self.config
        per_model = []
        for models in (self.ltm, state.stm) if c.short_term else (self.ltm,):
            views = []
            for view in c.views:
                candidates = self._candidates(view, state)
                if candidates is None:
                    continue
                history = state.view_history.get(view, [])
                derived = models[view].predict(history)
                # a derived symbol's probability is shared by the pitches that map to it
                share = np.bincount(candidates, minlength=len(derived))
                views.append(derived[candidates] / share[candidates])
            per_model.append(combine([v / v.sum() for v in views], bias=c.bias, geometric=c.geometric))
        return combine(per_model, bias=c.ltm_stm_bias, geometric=c.geometric)

    def predict_duration(self, state: SequenceState) -> np.ndarray:
        c = self.config
        long_term = self.duration_ltm.predict(state.durations)
        if not c.short_term:
            return long_term
        return combine([long_term, state.stm["duration"].predict(state.durations)], bias=c.ltm_stm_bias, geometric=c.geometric)

    def piece_bits(self, pitches: list[int], durations: list[int], tonic: int = 0) -> tuple[list[float], list[float]]:
        """-log2 P of each pitch and each duration of a held-out piece, predicted note by note."""
        state = self.start(tonic)
        pitch_bits, duration_bits = [], []
        for p, d in zip(pitches, durations, strict=False):
            pitch_bits.append(-float(np.log2(self.predict_pitch(state)[p])))
            duration_bits.append(-float(np.log2(self.predict_duration(state)[d])))
            self.advance(state, p, d)
        return pitch_bits, duration_bits
