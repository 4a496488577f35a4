"""PostgreSQL's word index (archive/search/words.py): the search rows and annotation documents are
GIN-indexed on the distinct words of their folded text (an expression index: nothing is added to
the rows), and the database keeps the vocabulary a term is looked up in. Building the indexes and
the vocabulary reads both tables (a few minutes at 500,000 recordings). SQLite keeps its FTS5
trigram tables."""
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
