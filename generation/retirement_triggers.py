"""Retirement follows the write, in its transaction: triggers on the archive's recordings and their
labels retire every active model that learned from a recording that may no longer be learned from
(withdrawn or unpublished, consent withdrawn, erased, or a label that forbids training; a Community
Use Only label retires what outsiders trained) and withdraw the model's study examples, whoever
wrote (a service, the admin, a bulk update, raw SQL). The label sets come from archive/labels.py's
policy table; a migration installs them again when it changes."""
from archive import db_triggers
from archive.labels import MEMBERS_TRAINING, NO_TRAINING

FAMILY = "retire"
ACTIVE = "('queued', 'training', 'ready')"


def _sources(recording: str) -> str:
    return f"SELECT model_id FROM generation_modelsource WHERE recording_uuid = {recording}"


def _retire(recording: str, reason: str, extra: str = "") -> list[str]:
    """Withdraw the examples, then retire the models, of active models that learned from ``recording``."""
    models = f"SELECT id FROM generation_stylemodel WHERE status IN {ACTIVE} AND id IN ({_sources(recording)}){extra}"
    return [
        f"UPDATE generation_studyexample SET withdrawn_at = CURRENT_TIMESTAMP, withdrawn_reason = substr({reason}, 1, 300) "
        f"WHERE withdrawn_at IS NULL AND model_id IN ({models})",
        f"UPDATE generation_stylemodel SET status = 'retired', retired_at = CURRENT_TIMESTAMP, "
        f"retired_reason = substr({reason}, 1, 300) WHERE status IN {ACTIVE} AND id IN ({_sources(recording)}){extra}",
    ]


def _codes(codes) -> str:
    return "(" + ", ".join(f"'{code}'" for code in sorted(codes)) + ")"


RECORDING_UNTRAINABLE = "NEW.status <> 'published' OR NEW.training_consent <> 'allowed'"
RECORDING_REASON = ("CASE WHEN NEW.status <> 'published' THEN 'source recording “' || NEW.title || '” was ' || NEW.status "
                    "ELSE 'the community withdrew training consent for “' || NEW.title || '”' END")
LABEL_TITLE = "(SELECT title FROM archive_recording WHERE id = NEW.recording_id)"
LABEL_REASON = f"'“' || {LABEL_TITLE} || '” now carries a label that forbids training'"
OUTSIDERS_REASON = f"'“' || {LABEL_TITLE} || '” is now for its community''s use only'"
OUTSIDER = (" AND (created_by_id IS NULL OR created_by_id NOT IN (SELECT user_id FROM archive_membership "
            "WHERE community_id = (SELECT community_id FROM archive_recording WHERE id = NEW.recording_id)))")


def install(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
    db_triggers.per_row(schema_editor, family=FAMILY, name="recording_changed", table="archive_recording",
                        event="UPDATE", when=RECORDING_UNTRAINABLE, body=_retire("NEW.id", RECORDING_REASON))
    db_triggers.per_row(schema_editor, family=FAMILY, name="recording_erased", table="archive_recording",
                        event="DELETE", body=_retire("OLD.id", "'source recording “' || OLD.title || '” was erased'"))
    db_triggers.per_row(schema_editor, family=FAMILY, name="label_forbids", table="archive_recordinglabel",
                        event="INSERT", when=f"NEW.label_id IN {_codes(NO_TRAINING)}",
                        body=_retire("NEW.recording_id", LABEL_REASON))
    if MEMBERS_TRAINING:
        db_triggers.per_row(schema_editor, family=FAMILY, name="label_members_only", table="archive_recordinglabel",
                            event="INSERT", when=f"NEW.label_id IN {_codes(MEMBERS_TRAINING)}",
                            body=_retire("NEW.recording_id", OUTSIDERS_REASON, OUTSIDER))


def uninstall(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
