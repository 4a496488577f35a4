"""The generation tables move the catalogue's versions (archive/versions.py), and models retire in
the transaction of the write that makes a source untrainable (generation/retirement_triggers.py)."""
from django.db import migrations

from archive import versions
from generation import retirement_triggers


def install(apps, schema_editor):
    versions.install_triggers(apps, schema_editor, "generation")
    retirement_triggers.install(apps, schema_editor)


def uninstall(apps, schema_editor):
    versions.drop_triggers(apps, schema_editor, "generation")
    retirement_triggers.uninstall(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("generation", "0001_initial"), ("archive", "0017_catalogue_versions")]
    operations = [migrations.RunPython(install, uninstall)]
