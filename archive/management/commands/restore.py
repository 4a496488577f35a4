"""manage.py restore SRC: rebuild an empty archive from a backup and the configured replicas."""
from django.core.management.base import BaseCommand, CommandError

from archive.services.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore the backup in SRC into this empty archive: the database, then every file of its manifest "
            "from the backup or a replica (STORAGE_REPLICAS), each verified against its sha256.")

    def add_arguments(self, parser):
        parser.add_argument("src")

    def handle(self, src, **options):
        try:
            result = backup_restore(src, report=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"restored {result['recordings']} recording(s) and {result['files']} file(s)"))
