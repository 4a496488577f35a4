"""manage.py fixity [--all]: re-check masters' checksums now and record the events."""
from django.core.management.base import BaseCommand

from archive.services.fixity import fixity_run


class Command(BaseCommand):
    help = "Re-check the checksums of stored masters (those due, or --all) and record fixity events."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="check every master, not only those due")

    def handle(self, **options):
        result = fixity_run(everything=options["all"])
        self.stdout.write(f"checked {result['checked']} master(s): {result['failed']} failed")
        if result["failed"]:
            raise SystemExit(1)
