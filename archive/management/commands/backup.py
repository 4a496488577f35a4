"""manage.py backup DEST: a consistent snapshot of the database and a manifest of every stored file."""
from django.core.management.base import BaseCommand, CommandError

from archive.services.backup import BackupError, backup_write


class Command(BaseCommand):
    help = ("Back up the archive into DEST (new or empty): the database (pg_dump or SQLite's online backup), "
            "manifest.json with every stored file's sha256, and a copy of each file no replica holds.")

    def add_arguments(self, parser):
        parser.add_argument("dest")

    def handle(self, dest, **options):
        try:
            result = backup_write(dest, report=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"backed up to {dest}: {result['files']} file(s)"))
