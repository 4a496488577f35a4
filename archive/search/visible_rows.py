"""Which of the snapshot's recordings a visible-recordings query admits, kept per process while
nothing it depends on changes.

Access is decided by archive/access.py alone; this only remembers its answer. A query's SQL and
parameters name everything its answer depends on except the data (the caller's id, communities,
grants and the day are parameters; so are the search filters), and the visibility version moves
with every committed write to any table access or a filter reads (archive/versions.py: database
triggers, every archive table but a few logs and texts). The same SQL under the same version therefore
has the same answer, and a changed protocol, label, membership or withdrawal is decided afresh on
the next search, while a training job's progress or a preservation event leaves the answers kept.
Asking "which of 50,000 matches may I see" each time took a quarter of a second at 100,000
recordings; a common search now asks once per such change and caller. (A few matched annotations
are simply asked about: admitted_annotations.)"""
import threading
from collections import OrderedDict

import numpy as np
from django.conf import settings

from .. import versions
from ..id_sets import id_set
from ..policy import annotations_visible
from .snapshot import raw_rows

MAX_DOCS = 5000  # annotation hits per query
KEPT = 64  # answers per process (a mask of one byte per recording or document each)

_lock = threading.Lock()
_answers: OrderedDict = OrderedDict()


def _admitted(snapshot, queryset, size: int, index: dict) -> np.ndarray:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    try:
        key = (*versions.kept_key("visibility"),
               snapshot.serial, sql, repr(params)) if settings.SEARCH_SNAPSHOT_CACHED else None
    except Exception:  # no database: nothing can be known to be current
        key = None
    with _lock:
        if key is not None and key in _answers:
            _answers.move_to_end(key)
            return _answers[key]
    mask = np.zeros(size, dtype=bool)
    mask[np.asarray([index[pk] for (pk,) in raw_rows(queryset.order_by().values_list("pk")) if pk in index], dtype=np.int64)] = True
    if key is not None:
        with _lock:
            _answers[key] = mask
            while len(_answers) > KEPT:
                _answers.popitem(last=False)
    return mask


def visible_mask(snapshot, recordings) -> np.ndarray:
    """A boolean per snapshot row: admitted by ``recordings`` (the caller's visible, filtered
    recordings). Recordings newer than the snapshot are not in it and stay unmatched until it is
    rebuilt, which the same write has already asked for."""
    return _admitted(snapshot, recordings, len(snapshot.ids), snapshot.raw_rows)


def annotation_mask(snapshot, annotations) -> np.ndarray:
    """A boolean per snapshot document: an annotation ``annotations`` admits (archive/access.py's
    annotations_visible for the caller)."""
    return _admitted(snapshot, annotations, len(snapshot.doc_pk), snapshot.docs_by_annotation())


def visible_among(recordings, ids) -> set:
    """Which of ``ids`` ``recordings`` (the caller's visible, filtered ones) admits, asked with one
    parameter: the database's answer when no kept one serves."""
    return set(recordings.filter(pk__in=id_set(ids)).values_list("pk", flat=True)) if ids else set()


def admitted_annotations(rows: list[tuple], user) -> list[tuple]:
    """Those of these (doc, recording, annotation, start) rows, on recordings already known to be
    visible and filtered, whose own protocol admits the caller; the first MAX_DOCS."""
    if not rows:
        return []
    allowed = set(annotations_visible(user=user, recording_ids={r[1] for r in rows})
                  .filter(pk__in=id_set({r[2] for r in rows})).values_list("pk", flat=True))
    return [r for r in rows if r[2] in allowed][:MAX_DOCS]
