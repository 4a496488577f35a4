"""Triggers that mark a recording's search documents (and search row) stale whenever what they are built from
changes, by whatever path (the admin, a bulk update, raw SQL): the search that follows rebuilds
them (archive/search/index.py's sweep), so the public never keeps finding a replaced text."""
from .. import db_triggers

FAMILY = "stale"
RECORDING = "archive_recording"
# the recording's own columns its documents read (archive/search/index.py)
TEXT_COLUMNS = ("title", "alt_titles", "description", "genre", "date", "rights",
                "tradition_id", "community_id", "place_id", "collection_id")
# tables whose rows hang off one recording (by recording_id), with the columns an update must
# change to matter (None: any); the last three give its search row's facets (audio, labels,
# analysed), where the fixity sweep's or a job's bookkeeping must not rebuild anything
CHILDREN = (("archive_narrative", None), ("archive_annotation", None), ("archive_recordingperson", None),
            ("archive_recording_instruments", None), ("archive_recording_languages", None),
            ("archive_recordingfile", ("role", "recording_id")), ("archive_recordinglabel", ("label_id", "recording_id")),
            ("archive_analysis", ("analyser", "version", "status", "recording_id")))
# tables a recording names: (table, columns its documents read, which recordings name a row)
PARENTS = (
    ("archive_tradition", ("name", "names"), "tradition_id = {row}.id"),
    ("archive_community", ("name",), "community_id = {row}.id"),
    ("archive_place", ("name", "country"), "place_id = {row}.id"),
    ("archive_collection", ("title",), "collection_id = {row}.id"),
    ("archive_person", ("name",),
     "id IN (SELECT recording_id FROM archive_recordingperson WHERE person_id = {row}.id)"),
    ("archive_instrument", ("name", "slug"),
     "id IN (SELECT recording_id FROM archive_recording_instruments WHERE instrument_id = {row}.id)"),
    ("archive_language", ("code",),
     "id IN (SELECT recording_id FROM archive_recording_languages WHERE language_id = {row}.code)"),
)


def _mark(where: str) -> list[str]:
    return [f"UPDATE {RECORDING} SET search_dirty = TRUE WHERE {where} AND NOT search_dirty"]


def _changed(columns) -> str:
    return " OR ".join(f'NEW."{c}" IS DISTINCT FROM OLD."{c}"' for c in columns)


def install(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
    db_triggers.per_row(schema_editor, family=FAMILY, name="recording", table=RECORDING, event="UPDATE",
                        when=f"NOT NEW.search_dirty AND ({_changed(TEXT_COLUMNS)})", body=_mark("id = NEW.id"))
    for table, columns in CHILDREN:
        short = table.removeprefix("archive_")
        db_triggers.per_row(schema_editor, family=FAMILY, name=f"{short}_i", table=table, event="INSERT",
                            body=_mark("id = NEW.recording_id"))
        db_triggers.per_row(schema_editor, family=FAMILY, name=f"{short}_d", table=table, event="DELETE",
                            body=_mark("id = OLD.recording_id"))
        db_triggers.per_row(schema_editor, family=FAMILY, name=f"{short}_u", table=table, event="UPDATE",
                            when=_changed(columns) if columns else None,
                            body=_mark("id = NEW.recording_id") + _mark("id = OLD.recording_id"))
    for table, columns, which in PARENTS:
        db_triggers.per_row(schema_editor, family=FAMILY, name=table.removeprefix("archive_"), table=table,
                            event="UPDATE", when=_changed(columns), body=_mark(which.format(row="NEW")))


def uninstall(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
