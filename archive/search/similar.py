"""Nearest recordings by the analysis feature vector (cosine), among those the caller may see.

Every current analysis's vector is held in memory, normalised, as one matrix per process; it is
reloaded when the analyses change (the vectors version, moved by database triggers with every
write to them, archive/versions.py) and at least every KEPT_AT_MOST_SECONDS, so a query is one
matrix product instead of reading and parsing every vector. Candidates are checked against what
the caller may see in ranked batches, so hidden neighbours are left out before ranking and the
caller still gets ``limit`` results; while the search snapshot is current the check reads the
caller's kept answer (archive/search/visible_rows.py) instead of asking the database again."""
import threading

import numpy as np
from django.conf import settings

from .. import versions
from ..analysis import ANALYSER, VERSION
from ..models import Analysis
from ..policy import recordings_derivable
from . import similar_pgvector
from .snapshot import current_snapshot
from .visible_rows import visible_among, visible_mask

_lock = threading.Lock()
_cache: dict = {"key": None, "ids": [], "rows": {}, "matrix": np.zeros((0, 0), dtype=np.float32)}


def _current():
    return Analysis.objects.filter(analyser=ANALYSER, version=VERSION, status="ok").exclude(features__isnull=True)


def _version():
    """The vectors version (archive/versions.py) and the backstop's time window."""
    if not settings.SIMILAR_VECTORS_CACHED:
        return object()  # never equal: read afresh
    return versions.kept_key("vectors")


def _vectors() -> tuple[list, dict, np.ndarray]:
    """(recording ids, their row numbers, unit-length float32 rows), one row per recording."""
    key = _version()
    with _lock:
        if _cache["key"] != key:
            latest: dict = {}  # a recording's newest analysis comes first
            for recording_id, features in _current().order_by("recording_id", "-created").values_list(
                    "recording_id", "features"):
                if features:
                    latest.setdefault(recording_id, features)
            ids = list(latest)
            matrix = (np.asarray(list(latest.values()), dtype=np.float32).reshape(len(ids), -1) if ids
                      else np.zeros((0, 0), dtype=np.float32))  # nothing analysed yet
            if len(matrix):
                matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
            _cache.update(key=key, ids=ids, rows={pk: i for i, pk in enumerate(ids)}, matrix=matrix)
        return _cache["ids"], _cache["rows"], _cache["matrix"]


def _ranked(scores: np.ndarray, head: int) -> np.ndarray:
    """Indices of the ``head`` best scores, best first: a partition, then a sort of the head only."""
    if head >= len(scores):
        return np.argsort(-scores)
    top = np.argpartition(-scores, head - 1)[:head]
    return top[np.argsort(-scores[top])]


def _allowed(visible, candidates: list) -> set:
    """Which candidates ``visible`` admits: from the kept answer while the snapshot is current and
    holds them all, else from the database."""
    snapshot = current_snapshot()
    if snapshot is not None and all(pk in snapshot.rows for pk in candidates):
        mask = visible_mask(snapshot, visible)
        return {pk for pk in candidates if mask[snapshot.rows[pk]]}
    return visible_among(visible, candidates)


def similar_recordings(*, user, recording, limit: int = 10, visible=None) -> list[tuple[str, float]]:
    """Neighbours among the recordings whose derived data the caller may see (a similarity is
    measured on the audio: archive/policy.py's recordings_derivable); ``visible``: that queryset,
    when the caller has it already. On PostgreSQL with pgvector, an HNSW index answers
    (similar_pgvector.py); elsewhere the matrix below."""
    visible = visible if visible is not None else recordings_derivable(user=user)
    if similar_pgvector.available():
        return similar_pgvector.nearest(recording_id=recording.pk, visible=visible, limit=limit)
    ids, rows, matrix = _vectors()
    row = rows.get(recording.pk)
    if row is None:
        return []  # not analysed (yet)
    scores = matrix @ matrix[row]
    scores[row] = -np.inf
    found: list[tuple[str, float]] = []
    start, batch = 0, max(4 * limit, 50)
    order = np.empty(0, dtype=np.int64)
    while len(found) < limit and start < len(ids) - 1:
        if start + batch > len(order):
            order = _ranked(scores, max(2 * (start + batch), 256))
        candidates = [ids[i] for i in order[start:start + batch] if scores[i] > -np.inf]
        allowed = _allowed(visible, candidates)
        found += [(pk, round(float(scores[rows[pk]]), 4)) for pk in candidates if pk in allowed]
        start, batch = start + batch, min(batch * 4, 5000)  # many hidden neighbours: look further, in bigger steps
    return found[:limit]
