"""Building a recording's search documents. Services mark a recording dirty and rebuild it
when their transaction commits; a sweep rebuilds any that are still dirty."""
from django.db import transaction

from ..models import Recording, SearchDocument
from .normalize import fold

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


def search_index_recording(recording: Recording) -> int:
    """Rebuild one recording's documents; returns how many it has."""
    recording = Recording.objects.select_related("tradition", "community", "place", "collection").get(pk=recording.pk)
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
    with transaction.atomic():
        kept = SearchDocument.objects.filter(recording=recording)
        if sorted(kept.values_list(*fields), key=repr) != wanted:  # unchanged documents are not rewritten:
            kept.delete()  # every search process would rebuild its snapshot for nothing
            SearchDocument.objects.bulk_create(docs)
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
