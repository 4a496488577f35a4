"""manage.py reanalyze [--outdated]: queue analysis jobs for recordings whose analysis is
missing or from an older analyser (--outdated), or for every recording with audio."""
from django.core.management.base import BaseCommand
from django.db import transaction

from archive.services.analysis import recordings_needing_analysis
from worker.services import job_create


class Command(BaseCommand):
    help = "Queue analysis for recordings whose analysis is missing or out of date (--outdated), or all."

    def add_arguments(self, parser):
        parser.add_argument("--outdated", action="store_true", help="only those missing or from another version")

    def handle(self, outdated=False, **options):
        queued = 0
        with transaction.atomic():
            for recording in recordings_needing_analysis(outdated_only=outdated):
                job_create(kind="recording.analyse", target=recording)
                queued += 1
        self.stdout.write(f"queued analysis for {queued} recording(s)")
