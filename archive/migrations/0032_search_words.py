"""PostgreSQL's word index (archive/search/words.py): each search row and annotation document
carries its distinct words, generated from its folded text and GIN-indexed, and the database keeps
the vocabulary a term is looked up in. Adding the generated columns rewrites both tables (a few
minutes at 500,000 recordings). SQLite keeps its FTS5 trigram tables."""
from django.db import migrations

from archive.search import words


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return apply


class Migration(migrations.Migration):
    dependencies = [("archive", "0031_search_document_rule_columns")]
    operations = [migrations.RunPython(run([*words.INSTALL, words.FILL]), run(words.UNINSTALL))]
