"""Running a search: the caller's visible recordings, filtered, matched term by term in their
folded documents, ranked, with annotation hits at their moment and facet counts over the
matches only (a facet never counts what the caller may not see)."""
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef

from ..access import annotations_visible, recordings_visible
from ..models import Analysis, RecordingFile, SearchDocument
from .highlight import snippet
from .index import search_reindex_dirty
from .normalize import query_terms

WEIGHT = {SearchDocument.Kind.TITLE: 5, SearchDocument.Kind.RECORD: 2, SearchDocument.Kind.NARRATIVE: 1,
          SearchDocument.Kind.ANNOTATION: 1}
MAX_DOCS = 5000


def search(*, user, query: str, recordings=None) -> dict:
    """``recordings``: the visible recordings after the caller's filters (default: all visible)."""
    search_reindex_dirty(limit=200)  # anything whose rebuild was missed
    recordings = recordings if recordings is not None else recordings_visible(user=user)
    terms = query_terms(query)
    if not terms:
        ids = list(recordings.order_by("title").values_list("pk", flat=True))
        return {"terms": [], "recording_ids": ids, "hits": [{"type": "recording", "recording": pk, "score": 0}
                                                           for pk in ids]}
    base = SearchDocument.objects.filter(recording__in=recordings.values("pk"))
    scores: dict = defaultdict(int)
    matched = None
    best_doc: dict = {}
    for term in terms:
        docs = list(base.exclude(kind=SearchDocument.Kind.ANNOTATION).filter(folded__contains=term)
                    .values("recording_id", "kind", "text")[:MAX_DOCS])
        ids = {d["recording_id"] for d in docs}
        matched = ids if matched is None else matched & ids
        for d in docs:
            weight = WEIGHT[d["kind"]]
            if weight > scores.get((d["recording_id"], term), 0):
                scores[(d["recording_id"], term)] = weight
                if weight >= WEIGHT.get(best_doc.get(d["recording_id"], {}).get("kind"), 0):
                    best_doc[d["recording_id"]] = d
    hits = []
    for pk in matched or set():
        score = sum(scores[(pk, t)] for t in terms)
        hits.append({"type": "recording", "recording": pk, "score": score,
                     "snippet": snippet(best_doc[pk]["text"], terms)})
    notes = base.filter(kind=SearchDocument.Kind.ANNOTATION,
                        annotation__in=annotations_visible(user=user).values("pk"))
    for term in terms:
        notes = notes.filter(folded__contains=term)
    for doc in notes.values("recording_id", "annotation_id", "start", "text")[:MAX_DOCS]:
        hits.append({"type": "annotation", "recording": doc["recording_id"], "annotation": doc["annotation_id"],
                     "start": doc["start"], "score": len(terms), "snippet": snippet(doc["text"], terms)})
    hits.sort(key=lambda h: (-h["score"], h["type"] != "recording", h.get("start") or 0))
    ids = list(dict.fromkeys(h["recording"] for h in hits))
    return {"terms": terms, "recording_ids": ids, "hits": hits}


def facets(*, user, recording_ids) -> dict:
    """Counts over the matched recordings only."""
    from ..analysis import ANALYSER, VERSION
    from ..models import Recording

    qs = Recording.objects.filter(pk__in=list(recording_ids))

    def count(field, label_field=None):
        rows = qs.exclude(**{f"{field}__isnull": True}).values(field, *( [label_field] if label_field else [])) \
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

