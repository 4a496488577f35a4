"""Prediction by Partial Match: a variable-order Markov model that blends the predictions of
every context length it has seen (interpolated smoothing, escape method C or X, update
exclusion), the model family of IDyOM (Pearce 2005) that is strong on small corpora."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class PPM:
    def __init__(self, alphabet_size: int, *, max_order: int = 5, escape: str = "C", update_exclusion: bool = True):
        if escape not in ("A", "C", "X"):
            raise ValueError("escape method is A, C or X")
        self.alphabet_size = alphabet_size
        self.max_order = max_order
        self.escape = escape
        self.update_exclusion = update_exclusion
        self.counts: dict[tuple[int, ...], np.ndarray] = {}

    def add_sequence(self, sequence: Sequence[int]) -> None:
        for i, symbol in enumerate(sequence):
            self.add(sequence[:i], symbol)

    def add(self, history: Sequence[int], symbol: int) -> None:
        """Count ``symbol`` after each context ending the history (undefined symbols, < 0, break contexts)."""
        if symbol < 0:
            return
        contexts = self._contexts(history)
        for context in reversed(contexts):  # longest first
            row = self.counts.get(context)
            if row is None:
                row = self.counts[context] = np.zeros(self.alphabet_size)
            seen = row[symbol] > 0
            row[symbol] += 1
            if self.update_exclusion and seen:
                break

    def _contexts(self, history: Sequence[int]) -> list[tuple[int, ...]]:
        out = [()]
        for k in range(1, self.max_order + 1):
            if k > len(history) or history[-k] < 0:
                break
            out.append(tuple(history[-k:]))
        return out

    def predict(self, history: Sequence[int]) -> np.ndarray:
        """The probability of every symbol next, blended from order -1 (uniform) up."""
        p = np.full(self.alphabet_size, 1.0 / self.alphabet_size)
        for context in self._contexts(history):
            row = self.counts.get(context)
            if row is None:
                break
            total = row.sum()
            types = np.count_nonzero(row)
            if self.escape == "A":
                weight = 1.0
            elif self.escape == "X":
                weight = float(np.count_nonzero(row == 1)) + 1.0
            else:
                weight = float(types)
            p = (row + weight * p) / (total + weight)
        return p


def entropy_weights(distributions: Sequence[np.ndarray], bias: float) -> np.ndarray:
    """Pearce's weighting: a model that is sure of itself (low relative entropy) counts more."""
    weights = []
    for p in distributions:
        h_max = np.log2(len(p))
        h = -np.sum(p * np.log2(np.clip(p, 1e-300, None)))
        relative = max(h / h_max, 1e-6) if h_max > 0 else 1.0
        weights.append(relative ** -bias)
    return np.array(weights)


def combine(distributions: Sequence[np.ndarray], *, bias: float = 1.0, geometric: bool = False) -> np.ndarray:
    """Entropy-weighted mean of several predictions of the same symbol, arithmetic or geometric."""
    if len(distributions) == 1:
        return distributions[0]
    weights = entropy_weights(distributions, bias)
    if geometric:
        logs = sum(w * np.log(np.clip(p, 1e-300, None)) for w, p in zip(weights, distributions, strict=False)) / weights.sum()
        out = np.exp(logs - logs.max())
    else:
        out = sum(w * p for w, p in zip(weights, distributions, strict=False))
    return out / out.sum()
