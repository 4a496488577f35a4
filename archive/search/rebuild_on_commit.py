"""Search documents rebuilt in the writing path, whoever wrote: the services mark what they change
(index.search_mark_dirty), and any other save through the ORM (the admin, a shell, a data
migration) of a table the documents are read from is caught here. The database's triggers have
already flagged the recordings it touched (stale_triggers.py), so one sweep of the flagged ones
runs when the transaction commits, once per transaction. Raw SQL is caught by the same flags and
the worker's periodic sweep (archive/tasks.py). A search never writes."""
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import (
    Analysis,
    Annotation,
    Collection,
    Community,
    Instrument,
    Language,
    Narrative,
    Person,
    Place,
    Recording,
    RecordingFile,
    RecordingLabel,
    RecordingPerson,
    Tradition,
)
from .index import search_reindex_dirty

WATCHED = (Recording, Narrative, Annotation, RecordingPerson, Tradition, Community, Place, Collection, Person,
           Instrument, Language, RecordingFile, RecordingLabel, Analysis)  # the last three: a search row's facets


def _sweep() -> None:
    connection.search_sweep_pending = False
    search_reindex_dirty(limit=1000)


def _after_commit(**_) -> None:
    """One sweep per transaction: skipped while this transaction's sweep is still waiting (a
    rolled-back transaction drops its hooks, so a flag alone could outlive it)."""
    if getattr(connection, "search_sweep_pending", False) and any(
            entry[1] is _sweep for entry in connection.run_on_commit):
        return
    connection.search_sweep_pending = True
    transaction.on_commit(_sweep)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_after_commit, sender=model, dispatch_uid=f"search-{model.__name__}-save")
        post_delete.connect(_after_commit, sender=model, dispatch_uid=f"search-{model.__name__}-delete")
    for through in (Recording.instruments.through, Recording.languages.through):
        m2m_changed.connect(_after_commit, sender=through, dispatch_uid=f"search-{through.__name__}-m2m")
