"""Each annotation document carries its recording's record-rule columns and tradition, copied by
triggers (archive/search/document_columns.py), so the annotation search applies the rule and the
filters to its own rows. Nullable without a default, so SQLite adds them in place and keeps the
table's triggers; the first copy is made here (at 500,000 recordings, 1.5 million annotations: two
minutes). And the annotations' protocol beside their id, so the search reads whether each matched
annotation is open from an index alone."""
from django.db import migrations, models

from archive import versions
from archive.search import document_columns


def install(apps, schema_editor):
    """The copy's triggers, and the version triggers again: the copy moves no search version."""
    versions.install_triggers(apps, schema_editor, "archive")
    document_columns.install(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0030_search_row_policy_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchdocument',
            name='community_id',
            field=models.UUIDField(null=True),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='created_by_id',
            field=models.IntegerField(null=True),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='record_custom_protocol_id',
            field=models.UUIDField(null=True),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='record_protocol',
            field=models.CharField(max_length=16, null=True),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='status',
            field=models.CharField(max_length=16, null=True),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='tradition_id',
            field=models.UUIDField(null=True),
        ),
        migrations.AddIndex(
            model_name='annotation',
            index=models.Index(fields=['id', 'protocol'], name='annotation_protocol'),
        ),
        migrations.RunPython(install, document_columns.uninstall),
    ]
