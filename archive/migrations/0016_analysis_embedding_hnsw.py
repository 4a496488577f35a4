"""pgvector on PostgreSQL, where the extension is installed (scripts/install_pgvector.sh; .ci/run
runs it): each analysis's feature vector as a generated `vector` column, kept by PostgreSQL in
step with the JSON features, and an HNSW index (cosine) over the vectors of the current
analyser's length, so similar recordings are an index scan that skips what the caller may not
see (archive/search/similar.py). Without the extension, and on SQLite, nothing changes here and
similar recordings are ranked in memory."""
from django.db import migrations

DIMENSIONS = 80  # archive.analysis.features.DIMENSIONS (a test holds them equal)
INDEX = "archive_analysis_embedding_hnsw"
UP = [
    "CREATE EXTENSION IF NOT EXISTS vector",
    "ALTER TABLE archive_analysis ADD COLUMN IF NOT EXISTS embedding vector GENERATED ALWAYS AS ("
    "CASE WHEN status = 'ok' AND jsonb_typeof(features) = 'array' AND jsonb_array_length(features) > 0 "
    "THEN (features::text)::vector END) STORED",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON archive_analysis USING hnsw ((embedding::vector({DIMENSIONS})) "
    f"vector_cosine_ops) WHERE vector_dims(embedding) = {DIMENSIONS}",
]
DOWN = [f"DROP INDEX IF EXISTS {INDEX}", "ALTER TABLE archive_analysis DROP COLUMN IF EXISTS embedding"]


def _available(connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        return cursor.fetchone() is not None


def run(statements):
    def apply(apps, schema_editor):
        if _available(schema_editor.connection):
            for statement in statements:
                schema_editor.execute(statement)
    return apply


class Migration(migrations.Migration):
    dependencies = [("archive", "0015_search_dirty_index")]
    operations = [migrations.RunPython(run(UP), run(DOWN))]
