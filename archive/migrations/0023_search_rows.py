"""One search row per recording (archive/search/engine.py): its folded text indexed as the
database does best (FTS5's trigram tokenizer on SQLite, an external-content table kept in step by
triggers; pg_trgm's GIN index on PostgreSQL) and its facet values. The version triggers cover the
new table; the stale triggers now also follow a recording's files, labels and analyses (its
facets). Existing recordings get their rows here."""
import django.db.models.deletion
from django.db import migrations, models

from archive import versions
from archive.search import stale_triggers

FTS = "archive_searchrow_fts"
SQLITE_UP = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(folded, content='archive_searchrow', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER archive_searchrow_fts_insert AFTER INSERT ON archive_searchrow BEGIN "
    f"INSERT INTO {FTS}(rowid, folded) VALUES (new.id, new.folded); END",
    f"CREATE TRIGGER archive_searchrow_fts_delete AFTER DELETE ON archive_searchrow BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    f"CREATE TRIGGER archive_searchrow_fts_update AFTER UPDATE OF folded ON archive_searchrow BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, folded) VALUES ('delete', old.id, old.folded); "
    f"INSERT INTO {FTS}(rowid, folded) VALUES (new.id, new.folded); END",
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS archive_searchrow_fts_{event}" for event in ("insert", "delete", "update")]
SQLITE_DOWN.append(f"DROP TABLE IF EXISTS {FTS}")
POSTGRES_UP = ["CREATE INDEX archive_searchrow_folded_trgm ON archive_searchrow USING gin (folded gin_trgm_ops)"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS archive_searchrow_folded_trgm"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return apply


def triggers(apps, schema_editor):
    versions.install_triggers(apps, schema_editor, "archive")
    stale_triggers.install(apps, schema_editor)


def backfill(apps, schema_editor):
    """Through the code that keeps the rows (imported here, not at the top: a migration module is
    loaded even when this step has long run, and the index code reads today's models)."""
    from archive.search.index import search_rows_rebuild

    search_rows_rebuild(apps.get_model("archive", "Recording").objects.values_list("pk", flat=True).iterator())


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0022_note_correctors'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchRow',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('folded', models.TextField()),
                ('title', models.TextField()),
                ('record', models.TextField()),
                ('sort_title', models.CharField(max_length=300)),
                ('tradition_id', models.UUIDField(null=True)),
                ('community_id', models.UUIDField(null=True)),
                ('country', models.CharField(blank=True, max_length=2)),
                ('decade', models.IntegerField(null=True)),
                ('instruments', models.JSONField(default=list)),
                ('languages', models.JSONField(default=list)),
                ('labels', models.JSONField(default=list)),
                ('has_audio', models.BooleanField(default=False)),
                ('analysed', models.JSONField(default=list)),
                ('recording', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                                   related_name='search_row', to='archive.recording')),
            ],
        ),
        migrations.AlterField(
            model_name='catalogueversion', name='search',
            field=models.BigIntegerField(default=0, help_text='a write to a table the search rows are built from'),
        ),
        migrations.RunPython(run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
                             run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})),
        migrations.RunPython(triggers, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
