"""The catalogue's versions in the database, moved by triggers in the writing transaction
(archive/versions.py), and triggers that mark search documents stale on any write
(archive/search/stale_triggers.py)."""
import uuid

from django.db import migrations, models

from archive import publication_triggers, versions
from archive.search import stale_triggers


def make_row(apps, schema_editor):
    apps.get_model("archive", "CatalogueVersion").objects.get_or_create(pk=1, defaults={"epoch": uuid.uuid4().hex})


def install(apps, schema_editor):
    publication_triggers.backfill(apps, schema_editor)
    versions.install_triggers(apps, schema_editor, "archive")
    stale_triggers.install(apps, schema_editor)
    publication_triggers.install(apps, schema_editor)


def uninstall(apps, schema_editor):
    versions.drop_triggers(apps, schema_editor, "archive")
    stale_triggers.uninstall(apps, schema_editor)
    publication_triggers.uninstall(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("archive", "0016_analysis_embedding_hnsw")]
    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("epoch", models.CharField(max_length=32)),
                ("catalogue", models.BigIntegerField(default=0, help_text="any write to a catalogue table")),
                ("visibility", models.BigIntegerField(default=0, help_text="a write to a table access or a filter reads")),
                ("search", models.BigIntegerField(default=0, help_text="a write to a table the search snapshot reads")),
                ("vectors", models.BigIntegerField(default=0, help_text="a write to the analyses")),
            ],
            options={"constraints": [models.CheckConstraint(condition=models.Q(id=1), name="one_catalogue_version_row")]},
        ),
        migrations.AddField(
            model_name="recording", name="once_public",
            field=models.BooleanField(default=False, help_text="was published with a public record protocol (set by a "
                                      "database trigger): OAI-PMH may have announced it"),
        ),
        migrations.RunPython(make_row, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
