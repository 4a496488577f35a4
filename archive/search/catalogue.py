"""The one way to search the catalogue: ``search(viewer, query, filters, page)``.

The API (/api/search/) and the search page both call this and nothing below it. What the viewer
may see is archive/access.py's record rule, which the engine (engine.py) applies to the search
rows themselves (access.search_rows_visible); the caller's filters (CONTRACT.md,
archive/filters.py) narrow those to the recordings they name. The engine matches, ranks and
counts facets among what remains in one statement; annotation hits follow (query.py).
A search only reads: documents are rebuilt in the writing transaction's commit
(index.py) and, for writes that bypass the services, by the worker's sweep (archive/tasks.py)."""
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils.translation import gettext

from ..filters import RecordingFilter
from ..models import Recording
from ..policy import annotation_documents_visible, recordings_visible, search_rows_visible
from ..services.errors import ServiceError
from . import engine
from .memory_search import search_in_memory
from .memory_text import TextIndex
from .normalize import query_terms
from .query import annotation_hits, facets_in_memory, facets_named, with_snippets
from .snapshot import current_snapshot

MAX_LIMIT = 200
MAX_OFFSET = 10**9  # past any catalogue, within what a database binds


@dataclass(frozen=True)
class Page:
    offset: int = 0
    limit: int = 50

    @classmethod
    def from_params(cls, params) -> "Page":
        """From ``limit``/``offset`` query parameters; a clear error for anything but whole numbers."""
        try:
            limit = max(1, min(MAX_LIMIT, int(params.get("limit", cls.limit))))
            offset = max(0, min(MAX_OFFSET, int(params.get("offset", 0))))
        except (TypeError, ValueError):
            raise ServiceError(gettext("limit and offset must be whole numbers"), field="limit") from None
        return cls(offset=offset, limit=limit)


@dataclass
class SearchResult:
    terms: list[str]
    hits: list[dict]  # the page's hits, each with its recording's summary and a snippet
    facets: dict  # {facet: [{"value", "label", "count"}]} over every match the viewer may see
    total: int  # hits in all pages


class FilterError(ServiceError):
    """A filter's value is malformed (``errors``: {filter: [messages]})."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()))
        self.fields = {k: [str(m) for m in v] for k, v in errors.items()}


FILTER_NAMES = frozenset(RecordingFilter.base_filters) - {"q"}


def _filtered(viewer, given: dict, recordings):
    filtered = RecordingFilter(given, queryset=recordings, request=SimpleNamespace(user=viewer))
    if not filtered.is_valid():
        raise FilterError(dict(filtered.errors))
    return filtered.qs


def recordings_filtered(viewer, filters: dict):
    """The recordings the viewer may see, narrowed by ``filters`` (unknown names are ignored, as
    the API's list ignores them)."""
    return _filtered(viewer, {k: v for k, v in filters.items() if k in FILTER_NAMES}, recordings_visible(user=viewer))


ON_THE_ROW = {"tradition": "tradition_id", "community": "community_id"}  # filters a search row answers itself


@dataclass(frozen=True)
class Narrowed:
    """What the caller's filters keep: ``on_row`` ({column: value}) is answered by the columns of
    the same name on the search rows and the annotation documents, so the database meets it in its
    scan of them rather than a join; ``recordings`` holds the other filters as the recordings they
    admit, whoever may see them (None when no such filter is given)."""
    on_row: dict
    recordings: object = None


def narrowed_by(viewer, filters: dict) -> Narrowed:
    """The caller's ``filters`` as Narrowed. A filter on values measured on the audio still admits
    only what the viewer may derive (filters.py)."""
    given = {k: v for k, v in filters.items() if k in FILTER_NAMES and v not in ("", None)}
    if not given:
        return Narrowed(on_row={})
    checked = RecordingFilter(given, queryset=Recording.objects.none(), request=SimpleNamespace(user=viewer))
    if not checked.is_valid():
        raise FilterError(dict(checked.errors))
    on_row = {column: checked.form.cleaned_data[name] for name, column in ON_THE_ROW.items() if name in given}
    rest = {k: v for k, v in given.items() if k not in ON_THE_ROW}
    return Narrowed(on_row=on_row, recordings=_filtered(viewer, rest, Recording.objects.all()) if rest else None)


def hit_summary(hit: dict, recordings: dict) -> dict:
    """A hit as the API and the page show it: the recording's name, where it belongs, the link."""
    r = recordings[hit["recording"]]
    out = {"type": hit["type"], "score": hit["score"], "snippet": hit.get("snippet", ""),
           "recording": {"id": str(r.pk), "title": r.title, "tradition": r.tradition.name, "community": r.community.name,
                         "date": r.date},
           "link": f"/recordings/{r.pk}/"}
    if hit["type"] == "annotation":
        out.update(annotation=str(hit["annotation"]), start=hit["start"], link=f"/recordings/{r.pk}/#t={hit['start']:g}")
    return out


def search(viewer, query: str, filters: dict, page: Page = Page()) -> SearchResult:
    """Hits (recordings by score, then annotation moments), facet counts and the total, all over
    what ``viewer`` may see after ``filters``."""
    terms = query_terms(query or "")
    narrowed = narrowed_by(viewer, filters)
    snapshot = current_snapshot() if all(TextIndex.answers(term) for term in terms) else None
    if snapshot is not None:  # the in-memory accelerator, while it is current (snapshot.py)
        found = search_in_memory(snapshot, user=viewer, terms=terms, recordings=recordings_filtered(viewer, filters))
        return _result(terms, found["hits"][page.offset:page.offset + page.limit],
                       facets_in_memory(snapshot, found["recording_ids"].rows), len(found["hits"]))
    matched = engine.search(terms=terms, rows=search_rows_visible(user=viewer).filter(**narrowed.on_row),
                            narrowed=narrowed.recordings, offset=page.offset, limit=page.limit)
    moments, moment_total = annotation_hits(  # annotation hits follow every recording hit
        terms, annotation_documents_visible(user=viewer).filter(**narrowed.on_row), narrowed.recordings, viewer,
        start=max(0, page.offset - matched.total), count=page.limit - len(matched.hits)) if terms else ([], 0)
    return _result(terms, matched.hits + moments, facets_named(matched.facets, matched.total),
                   matched.total + moment_total)


def _result(terms: list[str], page_hits: list[dict], facets: dict, total: int) -> SearchResult:
    """The page's hits with their snippets and their recordings' names, whichever implementation found them."""
    shown = with_snippets(page_hits, terms)
    named = Recording.objects.select_related("tradition", "community").in_bulk([h["recording"] for h in shown])
    return SearchResult(terms=terms, hits=[hit_summary(h, named) for h in shown], facets=facets, total=total)
