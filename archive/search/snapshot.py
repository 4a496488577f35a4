"""The search snapshot: every search document's words and every recording's facet values in
memory, one per process, for the current search version (archive/versions.py).

A common word matches tens of thousands of documents; intersecting, scoring and counting facets
over them in the database took a second at 100,000 recordings. From memory it is a few
milliseconds. Which of the matches the caller may see is never the snapshot's to say: it is
archive/access.py's answer, kept only while nothing it depends on changes (visible_rows.py).

The snapshot is used only while it is current: any committed write to the tables it is read from
moves the search version (archive/versions.py: database triggers, in the writing transaction), and
a snapshot is never used longer than KEPT_AT_MOST_SECONDS; until a new snapshot is built the
database answers (SEARCH_SNAPSHOT "background", the default: a thread builds it while requests go
on), or the request builds it ("sync"), or it is never used ("off"). A snapshot never decides
access, so a stale one could only misplace a count, never reveal a hidden recording; being current
it does not even do that."""
import functools
import gc
import itertools
import logging
import threading
import uuid
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection

from .. import versions
from ..analysis import ANALYSER, VERSION
from ..models import Analysis, Recording, RecordingFile, RecordingLabel, SearchDocument
from ..policy import annotation_open_with_its_recording
from .index import WEIGHT
from .memory_facets import FacetTable
from .memory_text import TextIndex

log = logging.getLogger(__name__)

@dataclass
class Snapshot:
    serial: int  # which build of this process
    ids: list  # recording ids by row, rows in the database's order of titles
    rows: dict  # recording id -> row
    raw_rows: dict  # the id as the database driver gives it -> row
    facets: FacetTable
    text: TextIndex
    doc_recording: np.ndarray  # row of each document's recording
    doc_weight: np.ndarray  # index.WEIGHT of the document's kind; 0: an annotation
    doc_pk: np.ndarray
    doc_annotation: np.ndarray  # the annotation's id as 16 bytes (numpy drops trailing zero bytes: pad them back)
    doc_start: np.ndarray  # seconds (NaN: none)
    doc_open: np.ndarray  # an annotation seen by all who see its recording (access.annotation_open_with_its_recording)
    _docs_by_annotation: dict | None = None

    def recording_scores(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the recordings whose title, record or narratives hold every term, a
        term scoring the weight of the best kind of document holding it."""
        total = np.zeros(0, dtype=np.int64)
        for i, term in enumerate(terms):
            docs = self.text.documents_with(term)
            docs = docs[self.doc_weight[docs] > 0]
            best = np.zeros(len(self.ids), dtype=np.int64)
            np.maximum.at(best, self.doc_recording[docs], self.doc_weight[docs])
            total = best if i == 0 else np.where((total > 0) & (best > 0), total + best, 0)
        rows = np.flatnonzero(total)
        return rows, total[rows]

    def annotation_matches(self, terms: list[str], recordings: np.ndarray) -> np.ndarray:
        """The annotation documents holding every term, on the recordings ``recordings`` marks (by
        row), by start."""
        docs = np.zeros(0, dtype=np.int32)
        for i, term in enumerate(terms):
            found = self.text.documents_with(term)
            found = found[self.doc_weight[found] == 0]
            docs = found if i == 0 else np.intersect1d(docs, found, assume_unique=True)
        docs = docs[recordings[self.doc_recording[docs]]]
        return docs[np.argsort(np.nan_to_num(self.doc_start[docs]), kind="stable")]

    def _annotation_bytes(self, doc: int) -> bytes:
        return bytes(self.doc_annotation[doc]).ljust(16, b"\0")

    def annotation_id(self, doc: int) -> uuid.UUID:
        return uuid.UUID(bytes=self._annotation_bytes(doc))

    def annotation_rows(self, docs: np.ndarray) -> list[tuple]:
        """(doc, recording, annotation, start) of these documents."""
        return [(int(pk), self.ids[row], self.annotation_id(doc),
                 None if start != start else float(start))
                for pk, row, doc, start in zip(self.doc_pk[docs].tolist(), self.doc_recording[docs].tolist(),
                                               docs.tolist(), self.doc_start[docs].tolist(), strict=True)]

    def docs_by_annotation(self) -> dict:
        """{annotation id as the database driver gives it: its document}, made on first use."""
        if self._docs_by_annotation is None:
            as_key = self.annotation_id if connection.vendor == "postgresql" else (lambda d: self._annotation_bytes(d).hex())
            self._docs_by_annotation = {as_key(d): d
                                        for d in np.flatnonzero(self.doc_weight == 0).tolist()}
        return self._docs_by_annotation


_serials = itertools.count()


def raw_rows(queryset):
    """The queryset's rows as the database driver gives them: UUIDs stay as stored (hex text on
    SQLite), since converting a million of them is most of a build's time."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20000):
            yield from rows


def as_uuid(raw) -> uuid.UUID | None:
    return raw if raw is None or isinstance(raw, uuid.UUID) else uuid.UUID(raw)


def _uuid_bytes(raw) -> bytes:
    return b"" if raw is None else as_uuid(raw).bytes


def _facet_table(rows: dict, recordings: list[tuple]) -> FacetTable:
    table = FacetTable(len(recordings))
    uuid_of = functools.lru_cache(maxsize=4096)(as_uuid)  # a few dozen traditions and communities
    table.add("tradition", ((i, (uuid_of(r[1]), r[2])) for i, r in enumerate(recordings)))
    table.add("community", ((i, (uuid_of(r[3]), r[4])) for i, r in enumerate(recordings)))
    table.add("decade", ((i, f"{r[5] // 10 * 10}s") for i, r in enumerate(recordings) if r[5] is not None))
    table.add("country", ((i, (r[6], r[6])) for i, r in enumerate(recordings) if r[6]))

    def linked(queryset):
        return ((rows[raw], value) for raw, *value in raw_rows(queryset.order_by()) if raw in rows)

    table.add("instrument", ((row, (slug, name)) for row, (slug, name) in linked(
        Recording.instruments.through.objects.values_list("recording_id", "instrument__slug", "instrument__name"))))
    table.add("language", ((row, (code, code)) for row, (code,) in linked(
        Recording.languages.through.objects.values_list("recording_id", "language__code"))))
    table.add("label", ((row, (code, name)) for row, (code, name) in linked(
        RecordingLabel.objects.values_list("recording_id", "label_id", "label__name"))))
    table.add("has_audio", ((row, "yes") for row, _ in linked(
        RecordingFile.objects.filter(role="master").values_list("recording_id", "role"))))
    table.add("analysed", ((row, "yes") for row, _ in linked(
        Analysis.objects.filter(analyser=ANALYSER, version=VERSION, status="ok").values_list("recording_id", "status"))))
    return table


def build() -> Snapshot:
    """Read the recordings' facet values and every search document (about 5 s at 100,000 recordings)."""
    recordings = list(raw_rows(Recording.objects.order_by("title", "pk").values_list(
        "pk", "tradition_id", "tradition__name", "community_id", "community__name", "year_from", "place__country")))
    rows = {r[0]: i for i, r in enumerate(recordings)}  # by the id as stored
    docs = [d for d in raw_rows(SearchDocument.objects.order_by().values_list(
        "pk", "recording_id", "kind", "annotation_id", "start", "folded", "annotation__protocol")) if d[1] in rows]
    ids = [as_uuid(r[0]) for r in recordings]
    by_id = rows if connection.vendor == "postgresql" else {pk: i for i, pk in enumerate(ids)}  # the driver gives UUIDs there
    return Snapshot(
        serial=next(_serials), ids=ids, rows=by_id, raw_rows=rows, facets=_facet_table(rows, recordings),
        text=TextIndex(d[5] for d in docs),
        doc_recording=np.fromiter((rows[d[1]] for d in docs), dtype=np.int64, count=len(docs)),
        doc_weight=np.fromiter((WEIGHT.get(d[2], 0) for d in docs), dtype=np.int8, count=len(docs)),
        doc_pk=np.fromiter((d[0] for d in docs), dtype=np.int64, count=len(docs)),
        doc_annotation=np.array([_uuid_bytes(d[3]) for d in docs], dtype="S16"),
        doc_start=np.array([np.nan if d[4] is None else d[4] for d in docs], dtype=np.float64),
        doc_open=np.fromiter((d[6] is not None and annotation_open_with_its_recording(d[6]) for d in docs),
                             dtype=bool, count=len(docs)))


_lock = threading.Lock()
_state: dict = {"key": None, "snapshot": None, "building": False}


def _version():
    """The search version and the backstop's time window; a fresh object (never current) when
    snapshots are not kept between searches."""
    if not settings.SEARCH_SNAPSHOT_CACHED:
        return object()
    return versions.kept_key("search")


def _keep(key, snapshot: Snapshot) -> Snapshot:
    """Make ``snapshot`` the current one. Its hundreds of thousands of objects live until the next
    build, so they are moved out of the garbage collector's way (gc.freeze): otherwise each full
    collection walks them all, which cost a search at 100,000 recordings 15 ms on average. Before
    freezing, everything is unfrozen and collected once, so garbage is never frozen with it and
    the previous snapshot is freed. Not for snapshots that are not kept (tests)."""
    _state.update(key=key, snapshot=snapshot)
    if settings.SEARCH_SNAPSHOT_CACHED:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    return snapshot


def _build_in_background(key) -> None:
    try:
        snapshot = build()
        with _lock:
            _keep(key, snapshot)
    except Exception:
        log.exception("could not build the search snapshot")
    finally:
        _state["building"] = False
        connection.close()  # this thread's own connection


def _too_large() -> bool:
    """More recordings than SEARCH_SNAPSHOT_MAX_RECORDINGS: a snapshot would hold more memory than
    a web process should (counted only when the search version moves, never per search)."""
    return Recording.objects.order_by().count() > settings.SEARCH_SNAPSHOT_MAX_RECORDINGS


def current_snapshot() -> Snapshot | None:
    """The snapshot of the current search version, or None while there is none (the database
    answers), or when the catalogue is past the snapshot's bound. The version is read before the
    tables, so a write during a build leaves the new snapshot already stale rather than wrongly
    current."""
    mode = settings.SEARCH_SNAPSHOT
    if mode == "off":
        return None
    try:
        key = _version()
    except Exception:  # no database: no way to know a snapshot is current
        return None
    with _lock:
        if _state["key"] == key:
            return _state["snapshot"]
        if _state["building"]:
            return None
        if _too_large():  # remembered for this version: the database answers until it moves
            _state.update(key=key, snapshot=None)
            return None
        if mode == "sync":
            return _keep(key, build())
        _state["building"] = True
        threading.Thread(target=_build_in_background, args=(key,), daemon=True, name="search-snapshot").start()
    return None
