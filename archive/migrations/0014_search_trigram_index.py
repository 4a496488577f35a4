"""A trigram index over the folded search text, so that a substring query ("a word or a run of
characters", in any script) is answered from an index instead of a scan: FTS5's trigram
tokenizer on SQLite (an external-content table kept in step by triggers), pg_trgm's GIN
operator class on PostgreSQL. Folding (case, diacritics) is ours (archive/search/normalize.py),
so both engines match the same strings."""
from django.db import migrations

FTS = "archive_searchdocument_fts"
SQLITE_UP = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(folded, content='archive_searchdocument', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER archive_searchdocument_fts_insert AFTER INSERT ON archive_searchdocument BEGIN "
    f"INSERT INTO {FTS}(rowid, folded) VALUES (new.id, new.folded); END",
    f"CREATE TRIGGER archive_searchdocument_fts_delete AFTER DELETE ON archive_searchdocument BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    f"CREATE TRIGGER archive_searchdocument_fts_update AFTER UPDATE OF folded ON archive_searchdocument BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, folded) VALUES ('delete', old.id, old.folded); "
    f"INSERT INTO {FTS}(rowid, folded) VALUES (new.id, new.folded); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS archive_searchdocument_fts_{event}" for event in ("insert", "delete", "update")]
SQLITE_DOWN.append(f"DROP TABLE IF EXISTS {FTS}")
POSTGRES_UP = ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
               "CREATE INDEX archive_searchdocument_folded_trgm ON archive_searchdocument USING gin (folded gin_trgm_ops)"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS archive_searchdocument_folded_trgm"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return apply


class Migration(migrations.Migration):
    dependencies = [("archive", "0013_label_translations")]
    operations = [migrations.RunPython(run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
                                       run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}))]
