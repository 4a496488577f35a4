"""A search answered from the snapshot, kept as arrays to the end: the matches are scored,
checked against what the caller may see and ranked as numbers, and a hit becomes a dict only
when a page shows it. A common word matches tens of thousands of recordings; building a dict and
a UUID for each of them cost more than finding them."""
from collections.abc import Sequence

import numpy as np

from ..policy import annotations_visible
from .visible_rows import MAX_DOCS, admitted_annotations, annotation_mask, visible_mask

FEW_ANNOTATIONS = 1000  # matched annotations asked about one by one; more: the caller's kept answer for all


class SnapshotRows:
    """The matched recordings as the snapshot's rows; iterating gives their ids. Facets count
    them in the same snapshot the search used."""

    def __init__(self, snapshot, rows: np.ndarray):
        self.snapshot, self.rows = snapshot, rows

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return (self.snapshot.ids[row] for row in self.rows.tolist())


class RankedHits(Sequence):
    """Hits in rank order, made into dicts as they are read (a page reads a slice)."""

    def __init__(self, snapshot, rows, scores, docs, with_docs: bool):
        self._snapshot, self._rows, self._scores, self._docs = snapshot, rows, scores, docs
        self._with_docs = with_docs  # a text search: hits name their best document (None: found with the snippet)

    def __len__(self):
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._hit(i) for i in range(*index.indices(len(self)))]
        return self._hit(range(len(self))[index])

    def _hit(self, i: int) -> dict:
        s, doc = self._snapshot, int(self._docs[i])
        hit = {"type": "recording", "recording": s.ids[int(self._rows[i])], "score": int(self._scores[i])}
        if doc >= 0:
            start = float(s.doc_start[doc])
            hit.update(type="annotation", annotation=s.annotation_id(doc), start=None if start != start else start,
                       doc=int(s.doc_pk[doc]))
        elif self._with_docs:
            hit["doc"] = None
        return hit


def _annotations(snapshot, terms, visible, user) -> np.ndarray:
    """The caller's annotation documents holding every term, by start. Those open to whoever sees
    their (visible) recording need no question; about the others the database is asked, one by one
    when they are few, else through the caller's kept answer for all annotations."""
    docs = snapshot.annotation_matches(terms, visible)
    restricted = docs[~snapshot.doc_open[docs]]
    if len(restricted) <= FEW_ANNOTATIONS:
        allowed = {r[0] for r in admitted_annotations(snapshot.annotation_rows(restricted), user)}
        admitted = np.isin(snapshot.doc_pk[docs], np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
    else:
        admitted = annotation_mask(snapshot, annotations_visible(user=user))[docs]  # asked once per change
    return docs[snapshot.doc_open[docs] | admitted][:MAX_DOCS]


def search_in_memory(snapshot, *, user, terms: list[str], recordings) -> dict:
    """The same answer as query.search's database path: recordings by score (ties in title order),
    then annotation hits, scoring one per term, by start."""
    visible = visible_mask(snapshot, recordings)
    if not terms:  # browsing by filters alone: the snapshot's rows are in title order
        rows = np.flatnonzero(visible)
        empty = np.zeros(len(rows), dtype=np.int64)
        return {"terms": [], "recording_ids": SnapshotRows(snapshot, rows),
                "hits": RankedHits(snapshot, rows, empty, empty - 1, with_docs=False)}
    rows, scores = snapshot.recording_scores(terms)
    keep = visible[rows]
    rows, scores = rows[keep], scores[keep]
    docs = _annotations(snapshot, terms, visible, user)
    all_rows = np.concatenate([rows, snapshot.doc_recording[docs]])
    all_scores = np.concatenate([scores, np.full(len(docs), len(terms))])
    all_docs = np.concatenate([np.full(len(rows), -1), docs])
    starts = np.concatenate([np.zeros(len(rows)), np.nan_to_num(snapshot.doc_start[docs])])
    order = np.lexsort((starts, all_docs >= 0, -all_scores))  # the last key ranks first
    # facets count the matched recordings, not those only an annotation matched (as engine.py does)
    return {"terms": terms, "recording_ids": SnapshotRows(snapshot, np.unique(rows)),
            "hits": RankedHits(snapshot, all_rows[order], all_scores[order], all_docs[order], with_docs=True)}
