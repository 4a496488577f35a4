"""An annotation document's copy of its recording's record-rule columns and tradition, made by the
database, as the search rows' copy is (policy_columns.py).

The annotation search (query.annotation_hits) applies archive/access.py's record rule and the
tradition and community filters to the annotation documents' own columns: joining every matched
annotation to its recording's search row was most of an annotation search at 500,000 recordings
(22,000 probes for "harvest song"), and a filtered search read the matched annotations of every
tradition before it could drop the others. The same guarantees as the rows': a trigger fills a
new annotation document from its recording (on PostgreSQL holding the recording FOR SHARE; a
rebuild holds it FOR UPDATE already, index.py), and a trigger on the recording updates its
annotation documents in the transaction of any write of those columns, whoever writes. Until
copied the columns are NULL, and the rule admits no NULL status: staff only."""
from .. import db_triggers
from .policy_columns import COLUMNS as RULE_COLUMNS
from .policy_columns import copy_all, fill_new_rows, follow_recording

FAMILY = "doccols"
TABLE = "archive_searchdocument"
COLUMNS = (*RULE_COLUMNS, "tradition_id")
ANNOTATIONS = "kind = 'annotation'"
COPY_ALL = copy_all(TABLE, COLUMNS, f"{TABLE}.{ANNOTATIONS}")


def install(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
    fill_new_rows(schema_editor, family=FAMILY, table=TABLE, columns=COLUMNS, when=f"NEW.{ANNOTATIONS}")
    follow_recording(schema_editor, family=FAMILY, table=TABLE, groups={"recording": COLUMNS}, where=ANNOTATIONS)
    schema_editor.execute(COPY_ALL)


def uninstall(apps, schema_editor) -> None:
    db_triggers.drop_all(schema_editor, FAMILY)
