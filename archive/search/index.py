"""Building a recording's search documents. Services mark a recording dirty and rebuild it
when their transaction commits; a sweep rebuilds any that are still dirty."""
from collections import defaultdict

from django.db import transaction

from ..analysis import ANALYSER
from ..models import Analysis, Recording, RecordingFile, RecordingLabel, SearchDocument, SearchRow
from .normalize import fold
from .policy_columns import COLUMNS as POLICY_COLUMNS

# How much a term found in each kind of a recording's own documents counts (annotations are hits
# of their own, not weighed here)
WEIGHT = {SearchDocument.Kind.TITLE: 5, SearchDocument.Kind.RECORD: 2, SearchDocument.Kind.NARRATIVE: 1}


def _record_text(recording: Recording) -> str:
    parts = [recording.description, recording.tradition.name, recording.community.name, recording.genre,
             recording.date, recording.rights]
    parts += [n.get("name", "") for n in recording.tradition.names or []]
    parts += [c.person.name for c in recording.credits.select_related("person")]
    parts += [i.name for i in recording.instruments.all()]
    parts += [lang.code for lang in recording.languages.all()]
    if recording.place is not None:
        parts += [recording.place.name, recording.place.country]
    if recording.collection is not None:
        parts.append(recording.collection.title)
    return " · ".join(p for p in parts if p)


def search_rows(recording_ids) -> list[SearchRow]:
    """The recordings' rows for the engines, from their documents (title, record, narratives;
    annotations are hits of their own, matched in their documents) and their facet values; a
    handful of queries for any number of recordings (a rebuild, a migration, a bulk load)."""
    ids = list(recording_ids)
    texts = defaultdict(lambda: {"title": "", "record": "", "narratives": []})
    for recording_id, kind, folded in SearchDocument.objects.filter(recording__in=ids).exclude(
            kind=SearchDocument.Kind.ANNOTATION).order_by("pk").values_list("recording_id", "kind", "folded"):
        if kind == SearchDocument.Kind.NARRATIVE:
            texts[recording_id]["narratives"].append(folded)
        else:
            texts[recording_id][kind] = folded

    def by_recording(rows):
        grouped = defaultdict(set)
        for recording_id, value in rows:
            grouped[recording_id].add(value)
        return grouped

    instruments = by_recording(Recording.instruments.through.objects.filter(recording_id__in=ids)
                               .values_list("recording_id", "instrument__slug"))
    languages = by_recording(Recording.languages.through.objects.filter(recording_id__in=ids)
                             .values_list("recording_id", "language_id"))
    labels = by_recording(RecordingLabel.objects.filter(recording_id__in=ids).values_list("recording_id", "label_id"))
    analysed = by_recording(Analysis.objects.filter(recording_id__in=ids, analyser=ANALYSER, status="ok")
                            .values_list("recording_id", "version"))
    audio = set(RecordingFile.objects.filter(recording_id__in=ids, role=RecordingFile.Role.MASTER)
                .values_list("recording_id", flat=True))
    rows = []
    for r in Recording.objects.filter(pk__in=ids).select_related("place").only(
            "title", "tradition_id", "community_id", "year_from", "place__country"):
        text = texts[r.pk]
        rows.append(SearchRow(
            recording_id=r.pk, folded="\n".join([text["title"], text["record"], *text["narratives"]]),
            title=text["title"], record=text["record"], sort_title=r.title[:300], tradition_id=r.tradition_id,
            community_id=r.community_id, country=r.place.country if r.place_id else "",
            decade=r.year_from // 10 * 10 if r.year_from is not None else None,
            instruments=sorted(instruments[r.pk]), languages=sorted(languages[r.pk]), labels=sorted(labels[r.pk]),
            has_audio=r.pk in audio, analysed=sorted(analysed[r.pk])))
    return rows


# what a rebuild writes; the record rule's columns are the database's to copy (policy_columns.py)
ROW_FIELDS = [f.name for f in SearchRow._meta.concrete_fields if f.name not in ("id", "recording", *POLICY_COLUMNS)]


def _compared(row: SearchRow) -> dict:
    return {name: getattr(row, name) for name in ROW_FIELDS}


def search_rows_rebuild(recording_ids, *, batch: int = 2000) -> int:
    """Write the recordings' rows where they differ from what is kept (an unchanged row is not
    rewritten: the search version would move for nothing)."""
    ids, written = list(recording_ids), 0
    for i in range(0, len(ids), batch):
        rows = search_rows(ids[i:i + batch])
        kept = {row.recording_id: _compared(row) for row in SearchRow.objects.filter(recording__in=[r.recording_id for r in rows])}
        changed = [row for row in rows if kept.get(row.recording_id) != _compared(row)]
        # an upsert: two rebuilds of one recording may meet (a request's commit sweep, beat's sweep)
        SearchRow.objects.bulk_create(changed, update_conflicts=True, unique_fields=["recording"],
                                      update_fields=ROW_FIELDS)
        written += len(changed)
    return written


def search_index_recording(recording: Recording) -> int:
    """Rebuild one recording's documents; returns how many it has. The recording's row is locked
    first: two rebuilds of one recording (a request's commit sweep, beat's sweep) then run one
    after the other. Unlocked, each held the share lock that the search row's insert trigger
    takes on its recording (policy_columns.py) while waiting on the other's row: a deadlock."""
    with transaction.atomic():
        Recording.objects.select_for_update().filter(pk=recording.pk).values_list("pk").first()
        return _index_locked(recording.pk)


def _index_locked(recording_id) -> int:
    recording = Recording.objects.select_related("tradition", "community", "place", "collection").get(pk=recording_id)
    docs = [SearchDocument(recording=recording, kind=SearchDocument.Kind.TITLE,
                           text=" · ".join([recording.title, *recording.alt_titles]))]
    docs.append(SearchDocument(recording=recording, kind=SearchDocument.Kind.RECORD, text=_record_text(recording)))
    for n in recording.narratives.all():
        docs.append(SearchDocument(recording=recording, kind=SearchDocument.Kind.NARRATIVE, narrative=n,
                                   text=f"{n.title} · {n.text}"))
    for a in recording.annotations.all():
        docs.append(SearchDocument(recording=recording, kind=SearchDocument.Kind.ANNOTATION, annotation=a,
                                   start=a.start, text=a.body))
    for doc in docs:
        doc.folded = fold(doc.text)
    fields = ("kind", "annotation_id", "narrative_id", "start", "text", "folded")
    wanted = sorted((tuple(getattr(d, f) for f in fields) for d in docs), key=repr)
    kept = SearchDocument.objects.filter(recording=recording)
    if sorted(kept.values_list(*fields), key=repr) != wanted:  # unchanged documents are not rewritten:
        kept.delete()  # a rewrite would move the search version for nothing
        SearchDocument.objects.bulk_create(docs)
    search_rows_rebuild([recording.pk])
    Recording.objects.filter(pk=recording.pk).update(search_dirty=False)
    return len(docs)


def search_mark_dirty(recording_id) -> None:
    """Flag a recording and rebuild it once the current transaction commits."""
    Recording.objects.filter(pk=recording_id).update(search_dirty=True)

    def rebuild():
        recording = Recording.objects.filter(pk=recording_id).first()
        if recording is not None:
            search_index_recording(recording)

    transaction.on_commit(rebuild)


def search_reindex_dirty(*, limit: int = 500) -> int:
    done = 0
    for recording in Recording.objects.filter(search_dirty=True).order_by("modified")[:limit]:
        search_index_recording(recording)
        done += 1
    return done
