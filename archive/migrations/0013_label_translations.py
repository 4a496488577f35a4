"""Load the shipped translations of the Local Contexts Labels (archive.labels.TRANSLATIONS)."""
from django.db import migrations


def load_translations(apps, schema_editor):
    from archive.labels import labels_sync

    labels_sync(apps.get_model("archive", "Label"))


class Migration(migrations.Migration):
    dependencies = [("archive", "0012_translations")]
    operations = [migrations.RunPython(load_translations, migrations.RunPython.noop)]
