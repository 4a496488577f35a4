"""A trigger that remembers a recording was once public (published under a public record
protocol), whoever published it: OAI-PMH announces a withdrawn recording as deleted only then,
since only then may a harvester hold it (archive/policy.py, harvestable_recordings)."""
from . import db_triggers

FAMILY = "pub"
WHEN = "NEW.status = 'published' AND NEW.record_protocol = 'public' AND NOT NEW.once_public"
BODY = ["UPDATE archive_recording SET once_public = TRUE WHERE id = NEW.id"]


def install(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
    for event in ("INSERT", "UPDATE"):
        db_triggers.per_row(schema_editor, family=FAMILY, name=f"once_public_{event.lower()}",
                            table="archive_recording", event=event, when=WHEN, body=BODY)


def backfill(apps, schema_editor) -> None:
    """Recordings whose history shows them published under a public protocol, or that are now."""
    schema_editor.execute(
        "UPDATE archive_recording SET once_public = TRUE WHERE (status = 'published' AND record_protocol = 'public') "
        "OR id IN (SELECT id FROM archive_historicalrecording WHERE status = 'published' AND record_protocol = 'public')")


def uninstall(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
