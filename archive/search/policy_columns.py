"""The record rule's columns, copied onto each recording's search row by the database itself.

A search applies archive/access.py's record rule to the search rows directly (access.ON_SEARCH_ROW
names the columns), so it never joins or hashes the caller's whole visible catalogue: at 500,000
recordings that hash was a fifth of a full-text search, twice (recordings, then annotations).
The copy is only as good as its freshness, so it is the database's: a trigger fills a new row from
its recording (on PostgreSQL holding the recording FOR SHARE, so a concurrent change of the
recording waits for the row and then updates it), and a trigger on the recording updates its row
in the same transaction as any write of those columns (a service, the admin, a bulk update, raw
SQL). Until a row has its copy the columns are NULL, and the rule admits no NULL status: a row
without its copy is seen by staff only."""
from .. import db_triggers

FAMILY = "policy"
# the recording's columns the record rule reads, by the same name on the search row; the first
# four are the rule's alone, so copying them moves no search version (archive/versions.py), while
# the community is a facet too
RULE_ONLY = ("status", "record_protocol", "record_custom_protocol_id", "created_by_id")
COLUMNS = (*RULE_ONLY, "community_id")


def copy_all(table: str, columns, where: str = "TRUE") -> str:
    """Every row's copy made at once, for the rows written before the triggers or without them (a
    bulk load with triggers off, manage.py build_catalogue); UPDATE ... FROM: both databases
    (SQLite 3.33+). Only rows whose copy differs are written: rewriting every row leaves a dead
    version of each, and a table twice its size for every search to read until it is rewritten."""
    return (f"UPDATE {table} SET {', '.join(f'{c} = r.{c}' for c in columns)} FROM archive_recording r "
            f"WHERE r.id = {table}.recording_id AND {where} AND ("
            + " OR ".join(f"{table}.{c} IS DISTINCT FROM r.{c}" for c in columns) + ")")


COPY_ALL = copy_all("archive_searchrow", COLUMNS)


def fill_new_rows(schema_editor, *, family: str, table: str, columns, when: str = "TRUE") -> None:
    """A new row of ``table`` (where ``when`` holds of NEW) takes ``columns`` from its recording as
    it is written."""
    trigger = db_triggers.trigger_name(family, "row_insert")
    if schema_editor.connection.vendor == "postgresql":
        function = db_triggers.trigger_name(family, "fn", "row_insert")
        into = ", ".join(f"NEW.{c}" for c in columns)
        schema_editor.execute(
            f'CREATE OR REPLACE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
            f"SELECT {', '.join(columns)} INTO {into} FROM archive_recording WHERE id = NEW.recording_id FOR SHARE; "
            f"RETURN NEW; END $$")
        schema_editor.execute(f'CREATE TRIGGER "{trigger}" BEFORE INSERT ON {table} FOR EACH ROW WHEN ({when}) '
                              f'EXECUTE FUNCTION "{function}"()')
    else:  # SQLite cannot set NEW's columns: the new row is updated right after (one writer at a time)
        copied = ", ".join(f"{c} = (SELECT {c} FROM archive_recording WHERE id = NEW.recording_id)" for c in columns)
        schema_editor.execute(f'CREATE TRIGGER "{trigger}" AFTER INSERT ON {table} FOR EACH ROW WHEN ({when}) '
                              f"BEGIN UPDATE {table} SET {copied} WHERE id = NEW.id; END")


def follow_recording(schema_editor, *, family: str, table: str, groups: dict, where: str = "TRUE") -> None:
    """Each write of a recording's columns updates its rows of ``table`` (where ``where`` holds) in
    the same transaction; ``groups``: {trigger name: columns} (one trigger each)."""
    for name, columns in groups.items():
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
        copied = ", ".join(f"{c} = NEW.{c}" for c in columns)
        db_triggers.per_row(schema_editor, family=family, name=name, table="archive_recording", event="UPDATE",
                            when=changed, body=[f"UPDATE {table} SET {copied} WHERE recording_id = NEW.id AND {where}"])


def install(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
    fill_new_rows(schema_editor, family=FAMILY, table="archive_searchrow", columns=COLUMNS)
    follow_recording(schema_editor, family=FAMILY, table="archive_searchrow",
                     groups={"recording": RULE_ONLY, "community": ("community_id",)})
    schema_editor.execute(COPY_ALL)


def uninstall(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
