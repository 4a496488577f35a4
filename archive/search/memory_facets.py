"""Facet values of every recording, held in memory, counted over any set of recordings.

Each facet is a list of (recording row, value) entries, encoded once as two integer arrays, so
counting a facet over ten thousand matched recordings is one mask and one bincount instead of a
query joining those ids again. Single- and multi-valued facets (a recording with two instruments
counts once for each) are the same here; a recording counts once per value."""
import numpy as np


class FacetTable:
    def __init__(self, size: int):
        self.size = size
        self._columns: dict[str, tuple[np.ndarray, np.ndarray, list]] = {}

    def add(self, name: str, entries) -> None:
        """``entries``: (row, value) pairs; ``value`` is anything hashable and orderable."""
        codes: dict = {}
        rows: list[int] = []
        values: list[int] = []
        for row, value in entries:
            rows.append(row)
            values.append(codes.setdefault(value, len(codes)))
        width = max(len(codes), 1)
        pairs = np.unique(np.asarray(rows, dtype=np.int64) * width + np.asarray(values, dtype=np.int64))
        self._columns[name] = (pairs // width, pairs % width, list(codes))

    def counts(self, rows: np.ndarray) -> dict[str, list[tuple]]:
        """{facet: [(value, count), ...] most frequent first, ties by value} over ``rows``."""
        selected = np.zeros(self.size, dtype=bool)
        selected[rows] = True
        out = {}
        for name, (entry_rows, codes, values) in self._columns.items():
            tally = np.bincount(codes[selected[entry_rows]], minlength=len(values))
            found = [(values[c], int(tally[c])) for c in np.flatnonzero(tally)]
            out[name] = sorted(found, key=lambda pair: (-pair[1], pair[0]))
        return out
