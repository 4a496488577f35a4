"""Load the Local Contexts TK and BC Labels into the Label table."""
from django.db import migrations


def load_labels(apps, schema_editor):
    from archive.labels import labels_sync

    labels_sync(apps.get_model("archive", "Label"))


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(load_labels, migrations.RunPython.noop)]
