"""Running a search: the caller's visible recordings, filtered, matched term by term in their
folded documents, ranked, with annotation hits at their moment and facet counts over the
matches only (a facet never counts what the caller may not see)."""
import uuid
from collections import defaultdict

from django.db import connection
from django.db.models import Case, Count, Exists, Max, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL

from ..analysis import ANALYSER, VERSION
from ..id_sets import id_set
from ..models import Analysis, Recording, RecordingFile, SearchDocument
from ..policy import annotations_visible, recordings_visible
from .highlight import snippet
from .index import WEIGHT
from .memory_search import SnapshotRows, search_in_memory
from .memory_text import TextIndex
from .normalize import query_terms
from .snapshot import current_snapshot
from .visible_rows import MAX_DOCS, admitted_annotations, visible_among

CANDIDATES = 20000  # index matches checked for visibility in Python before the database joins instead
FTS = "archive_searchdocument_fts"  # migration 0014


def _matching(term: str) -> Q:
    """Documents whose folded text holds ``term``, answered from the trigram index: FTS5 on
    SQLite (a quoted phrase there is a substring match), pg_trgm's GIN index behind LIKE on
    PostgreSQL. Under three characters (one or two CJK characters, say) no trigram exists and
    both scan."""
    if connection.vendor == "sqlite" and len(term) >= 3:
        phrase = '"' + term.replace('"', '""') + '"'
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [phrase]))
    return Q(folded__contains=term)


def _recording_scores(terms: list[str], recordings) -> dict:
    """{recording: (score, best document or None)} for the visible, filtered recordings whose
    titles and records hold every term; a term's share of the score is the weight of the best kind
    of document holding it. Rare terms are read from the index and visibility is checked on the few
    recordings they name; with a common term the database intersects, scores and joins with what
    the caller may see, so no match is lost to a cap."""
    per_term = [SearchDocument.objects.exclude(kind=SearchDocument.Kind.ANNOTATION).filter(_matching(term))
                for term in terms]
    if any(_common(docs) for docs in per_term):
        return {pk: (score, None) for pk, score in _scores_in_sql(per_term, recordings)}
    rows_by_term = [list(docs.values_list("pk", "recording_id", "kind")) for docs in per_term]
    matched = set.intersection(*({recording_id for _, recording_id, _ in rows} for rows in rows_by_term))
    matched = visible_among(recordings, matched)
    best: dict = {}
    for term, rows in zip(terms, rows_by_term, strict=True):
        for doc_id, recording_id, kind in rows:
            if recording_id in matched and WEIGHT[kind] > best.get((recording_id, term), (0, None))[0]:
                best[(recording_id, term)] = (WEIGHT[kind], doc_id)
    weights = {pk: [best[(pk, term)] for term in terms] for pk in matched}
    return {pk: (sum(w for w, _ in pairs), max(pairs)[1]) for pk, pairs in weights.items()}


def _scores_in_sql(per_term, recordings) -> list[tuple]:
    """(recording, score) rows: per term, the best weight per recording (GROUP BY), then the terms
    summed over the recordings holding all of them, among those the caller may see."""
    weight = Case(*(When(kind=kind, then=Value(w)) for kind, w in WEIGHT.items()), default=Value(1))
    parts, params = [], []
    for i, docs in enumerate(per_term):
        sql, p = docs.order_by().values("recording_id").annotate(w=Max(weight)).values_list(
            "recording_id", "w").query.sql_with_params()
        parts.append(f"SELECT t{i}.recording_id, t{i}.w FROM ({sql}) t{i}")
        params += p
    visible_sql, visible_params = recordings.order_by().values("pk").query.sql_with_params()
    query = (f"SELECT u.recording_id, SUM(u.w) FROM ({' UNION ALL '.join(parts)}) u "
             f"WHERE u.recording_id IN ({visible_sql}) GROUP BY u.recording_id HAVING COUNT(*) = %s")
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, *visible_params, len(per_term)])
        rows = cursor.fetchall()
    return [(pk if isinstance(pk, uuid.UUID) else uuid.UUID(pk), int(score)) for pk, score in rows]


def _common(docs) -> bool:
    """More matches than are worth checking one by one (counted from the index, no rows read)."""
    return docs.values("pk")[:CANDIDATES + 1].count() > CANDIDATES


def _annotation_docs(terms: list[str], recordings, user) -> list[tuple]:
    """(doc, recording, annotation, start) of the annotations holding every term that the caller
    may see (the recording visible and filtered, the annotation's own protocol admitting them)."""
    docs = SearchDocument.objects.filter(kind=SearchDocument.Kind.ANNOTATION)
    for term in terms:
        docs = docs.filter(_matching(term))
    fields = ("pk", "recording_id", "annotation_id", "start")
    if _common(docs):
        return list(docs.filter(recording__in=recordings.values("pk"),
                                annotation__in=annotations_visible(user=user).values("pk")).values_list(*fields)[:MAX_DOCS])
    rows = list(docs.values_list(*fields))
    seen = visible_among(recordings, {r[1] for r in rows})
    return admitted_annotations([r for r in rows if r[1] in seen], user)


def search(*, user, query: str, recordings=None) -> dict:
    """``recordings``: the visible recordings after the caller's filters (default: all visible).
    Hits carry the id of the document that matched best; ``with_snippets`` cuts snippets for the
    hits a page shows (only those documents' texts are read)."""
    recordings = recordings if recordings is not None else recordings_visible(user=user)
    terms = query_terms(query)
    snapshot = current_snapshot() if all(TextIndex.answers(term) for term in terms) else None
    if snapshot is not None:
        return search_in_memory(snapshot, user=user, terms=terms, recordings=recordings)
    if not terms:  # browsing by filters alone, ordered by title
        ids = list(recordings.order_by("title").values_list("pk", flat=True))
        return {"terms": [], "recording_ids": ids, "hits": [{"type": "recording", "recording": pk, "score": 0}
                                                           for pk in ids]}
    hits = [{"type": "recording", "recording": pk, "score": score, "doc": doc}
            for pk, (score, doc) in _recording_scores(terms, recordings).items()]
    for doc_id, recording_id, annotation_id, start in _annotation_docs(terms, recordings, user):
        hits.append({"type": "annotation", "recording": recording_id, "annotation": annotation_id,
                     "start": start, "score": len(terms), "doc": doc_id})
    hits.sort(key=lambda h: (-h["score"], h["type"] != "recording", h.get("start") or 0))
    ids = list(dict.fromkeys(h["recording"] for h in hits))
    return {"terms": terms, "recording_ids": ids, "hits": hits}


def with_snippets(hits: list[dict], terms: list[str]) -> list[dict]:
    """The hits of one page with their highlighted snippets (for a recording ranked in SQL, its
    best document holding a term is found here, among its few documents)."""
    unknown = [h["recording"] for h in hits if h.get("doc", 0) is None]
    best: dict = {}
    for doc_id, recording_id, kind, folded in SearchDocument.objects.filter(recording__in=unknown).exclude(
            kind=SearchDocument.Kind.ANNOTATION).values_list("pk", "recording_id", "kind", "folded"):
        if any(term in folded for term in terms) and WEIGHT[kind] > best.get(recording_id, (0, None))[0]:
            best[recording_id] = (WEIGHT[kind], doc_id)
    hits = [{**h, "doc": best.get(h["recording"], (0, None))[1]} if h.get("doc", 0) is None else h for h in hits]
    texts = dict(SearchDocument.objects.filter(pk__in=[h["doc"] for h in hits if h.get("doc")])
                 .values_list("pk", "text"))
    return [{**h, "snippet": snippet(texts.get(h["doc"], ""), terms)} if "doc" in h else h for h in hits]


def _facets_in_memory(snapshot, rows) -> dict:
    """The same facets as below, counted from the snapshot's facet table."""
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


def facets(*, user, recording_ids) -> dict:
    """Counts over the matched recordings only (the caller passes what it may see)."""
    if isinstance(recording_ids, SnapshotRows):  # counted in the snapshot the search used
        return _facets_in_memory(recording_ids.snapshot, recording_ids.rows)
    qs = Recording.objects.filter(pk__in=id_set(recording_ids))

    def count(field, label_field=None):
        rows = qs.filter(**{f"{field}__isnull": False}).values(field, *( [label_field] if label_field else [])) \
            .annotate(n=Count("pk", distinct=True)).order_by("-n", field)
        return [{"value": str(r[field]), "label": r[label_field] if label_field else str(r[field]), "count": r["n"]}
                for r in rows]

    decades = defaultdict(int)
    for year in qs.exclude(year_from__isnull=True).values_list("year_from", flat=True):
        decades[f"{year // 10 * 10}s"] += 1
    has_audio = qs.filter(Exists(RecordingFile.objects.filter(recording=OuterRef("pk"), role="master"))).count()
    analysed = qs.filter(Exists(Analysis.objects.filter(recording=OuterRef("pk"), analyser=ANALYSER, version=VERSION,
                                                        status="ok"))).count()
    total = qs.count()
    return {
        "tradition": count("tradition_id", "tradition__name"),
        "community": count("community_id", "community__name"),
        "instrument": count("instruments__slug", "instruments__name"),
        "language": count("languages__code"),
        "country": [f for f in count("place__country") if f["value"]],
        "decade": [{"value": k, "label": k, "count": v} for k, v in sorted(decades.items())],
        "label": count("label_links__label_id", "label_links__label__name"),
        "has_audio": [{"value": "yes", "label": "has audio", "count": has_audio},
                      {"value": "no", "label": "no audio", "count": total - has_audio}],
        "analysed": [{"value": "yes", "label": "analysed", "count": analysed},
                     {"value": "no", "label": "not analysed", "count": total - analysed}],
    }

