"""What a search adds around the engines (engine.py, and the snapshot's memory_search.py):
annotation hits at their moment, snippets for the page shown, and the facets' values named for
people."""
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from ..models import Community, Instrument, Label, SearchDocument, Tradition
from ..policy import annotation_open_q
from . import words
from .engine import fts_query, ids_of
from .highlight import snippet
from .index import WEIGHT
from .visible_rows import MAX_DOCS, admitted_annotations

FTS = "archive_searchdocument_fts"  # migration 0014
DOC_FOLDED = '"archive_searchdocument"."folded"'  # named as migration 0032's word index names it


def _matching(terms: list[str]) -> Q:
    """Documents whose folded text holds every term: from FTS5's trigram index on SQLite (one query
    for all the terms); on PostgreSQL from the word index where it answers the term (words.py),
    else pg_trgm's index behind LIKE."""
    if connection.vendor == "sqlite":
        indexed = [t for t in terms if len(t) >= 3]
        condition = Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [fts_query(indexed)])) if indexed else Q()
        for term in terms:
            if len(term) < 3:  # shorter than a trigram: FTS5 knows nothing of it
                condition &= Q(folded__contains=term)
        return condition
    with connection.cursor() as cursor:
        holding = words.words_holding(cursor, terms)
    condition = Q()
    for term in terms:
        condition &= Q(RawSQL(*words.term_condition(DOC_FOLDED, term, holding), output_field=BooleanField()))
    return condition


def annotation_hits(terms: list[str], docs, narrowed, user, *, start: int, count: int) -> tuple[list[dict], int]:
    """The annotations holding every term that the caller may see (their documents among ``docs``,
    access.annotation_documents_visible: the record rule and the filters on each document's own
    copy of its recording's columns; among ``narrowed``, the caller's other filtered recordings,
    unless None; their own protocol admitting the caller), by recording and moment: those in
    [start, start + count), and how many there are (up to MAX_DOCS). Those open to whoever sees
    their recording (the policy's condition, access.annotation_open_q) are found in the database;
    the database is asked about the others only, the first MAX_DOCS * 2 of them (as in the
    snapshot). The hits shown are the first MAX_DOCS of both by document. Annotation hits follow
    every recording hit, so most pages need the count alone, and a common term's count stops at
    MAX_DOCS open ones instead of reading every match (at 500,000 recordings, 5,000 of 22,000)."""
    docs = docs.filter(_matching(terms))
    if narrowed is not None:
        docs = docs.filter(recording__in=ids_of(narrowed))
    fields = ("pk", "recording_id", "annotation_id", "start")
    is_open = annotation_open_q("annotation__protocol")
    if count <= 0:
        opened = docs.filter(is_open).order_by().values("pk")[:MAX_DOCS].count()
        if opened >= MAX_DOCS:
            return [], MAX_DOCS
        open_rows = None
    else:
        open_rows = list(docs.filter(is_open).order_by("pk").values_list(*fields)[:MAX_DOCS])
        opened = len(open_rows)
    others = list(docs.filter(~is_open).order_by("pk").values_list(*fields)[:MAX_DOCS * 2])
    asked = admitted_annotations(others, user)
    total = min(MAX_DOCS, opened + len(asked))
    if open_rows is None or start >= total:
        return [], total
    shown = [r[0] for r in sorted(open_rows + asked)[:MAX_DOCS]]
    page = SearchDocument.objects.filter(pk__in=shown).order_by("recording__title", "recording_id", "start")
    return [{"type": "annotation", "recording": recording_id, "annotation": annotation_id, "start": moment,
             "score": len(terms), "doc": doc_id}
            for doc_id, recording_id, annotation_id, moment in page.values_list(*fields)[start:start + count]], total


def with_snippets(hits: list[dict], terms: list[str]) -> list[dict]:
    """The hits of one page with their highlighted snippets (a recording's best document holding
    a term is found here, among its few documents)."""
    unknown = [h["recording"] for h in hits if h.get("doc") is None]
    best: dict = {}
    for doc_id, recording_id, kind, folded in SearchDocument.objects.filter(recording__in=unknown).exclude(
            kind=SearchDocument.Kind.ANNOTATION).values_list("pk", "recording_id", "kind", "folded"):
        if any(term in folded for term in terms) and WEIGHT[kind] > best.get(recording_id, (0, None))[0]:
            best[recording_id] = (WEIGHT[kind], doc_id)
    hits = [{**h, "doc": best.get(h["recording"], (0, None))[1]} if h.get("doc") is None else h for h in hits]
    texts = dict(SearchDocument.objects.filter(pk__in=[h["doc"] for h in hits if h.get("doc")])
                 .values_list("pk", "text"))
    return [{**h, "snippet": snippet(texts.get(h["doc"], ""), terms)} for h in hits]


def _uuid_text(value: str) -> str:
    return str(value) if "-" in value else f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


def facets_named(counts: dict, total: int) -> dict:
    """The engine's {facet: {value: count}} as the API shows them: most first, each value with the
    name people know it by."""
    traditions = {str(k): v for k, v in Tradition.objects.filter(
        pk__in=[_uuid_text(v) for v in counts["tradition"]]).values_list("pk", "name")}
    communities = {str(k): v for k, v in Community.objects.filter(
        pk__in=[_uuid_text(v) for v in counts["community"]]).values_list("pk", "name")}
    names = {"tradition": traditions, "community": communities,
             "instrument": dict(Instrument.objects.filter(slug__in=counts["instrument"]).values_list("slug", "name")),
             "label": dict(Label.objects.filter(pk__in=counts["label"]).values_list("pk", "name"))}

    def listed(name):
        values = {(_uuid_text(v) if name in ("tradition", "community") else str(v)): n for v, n in counts[name].items()}
        return [{"value": v, "label": names.get(name, {}).get(v, v), "count": n}
                for v, n in sorted(values.items(), key=lambda item: (-item[1], item[0]))]

    def yes_no(name, yes, no):
        n = counts[name].get("yes", 0)
        return [{"value": "yes", "label": yes, "count": n}, {"value": "no", "label": no, "count": total - n}]

    decades = sorted((f"{int(v)}s", n) for v, n in counts["decade"].items())
    return {
        "tradition": listed("tradition"), "community": listed("community"), "instrument": listed("instrument"),
        "language": listed("language"), "country": listed("country"),
        "decade": [{"value": k, "label": k, "count": n} for k, n in decades],
        "label": listed("label"),
        "has_audio": yes_no("has_audio", "has audio", "no audio"),
        "analysed": yes_no("analysed", "analysed", "not analysed"),
    }


def facets_in_memory(snapshot, rows) -> dict:
    """The same facets as facets_named gives, counted from the snapshot's facet table."""
    counted = snapshot.facets.counts(rows)

    def listed(name):
        return [{"value": str(value), "label": str(label), "count": n} for (value, label), n in counted[name]]

    def yes_no(name, yes, no):
        n = dict(counted[name]).get("yes", 0)
        return [{"value": "yes", "label": yes, "count": n}, {"value": "no", "label": no, "count": len(rows) - n}]

    return {
        "tradition": listed("tradition"), "community": listed("community"), "instrument": listed("instrument"),
        "language": listed("language"), "country": listed("country"),
        "decade": [{"value": k, "label": k, "count": v} for k, v in sorted(counted["decade"])],
        "label": listed("label"),
        "has_audio": yes_no("has_audio", "has audio", "no audio"),
        "analysed": yes_no("analysed", "analysed", "not analysed"),
    }
