"""Each search row carries the columns archive/access.py's record rule reads, copied by triggers
(archive/search/policy_columns.py), so a search applies the rule to its rows without joining or
hashing the caller's visible catalogue. The columns are NULL (seen by staff only) until the
triggers' first copy, made here for every row. Nullable without a default, so SQLite adds them in
place and keeps the table's triggers."""
from django.db import migrations, models

from archive import versions
from archive.search import policy_columns


def install(apps, schema_editor):
    """The copy's triggers, and the version triggers again: copying the rule's own columns moves no
    search version."""
    versions.install_triggers(apps, schema_editor, "archive")
    policy_columns.install(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0028_annotation_trigram_index"),
    ]

    operations = [
        migrations.AddField(model_name="searchrow", name="status", field=models.CharField(max_length=16, null=True)),
        migrations.AddField(model_name="searchrow", name="record_protocol",
                            field=models.CharField(max_length=16, null=True)),
        migrations.AddField(model_name="searchrow", name="record_custom_protocol_id", field=models.UUIDField(null=True)),
        migrations.AddField(model_name="searchrow", name="created_by_id", field=models.IntegerField(null=True)),
        migrations.RunPython(install, policy_columns.uninstall),
    ]
