"""manage.py ingest DIR --manifest FILE.csv [--user NAME]: bulk ingest, a row per file."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.services.bulk_ingest import ingest_manifest
from archive.services.errors import ServiceError


class Command(BaseCommand):
    help = "Ingest the files of DIR described by a CSV manifest; bad rows are reported and skipped."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--manifest", required=True)
        parser.add_argument("--user", help="act as this user (default: a steward of each row's community)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, directory, manifest, user=None, no_progress=False, **options):
        if not Path(directory).is_dir():
            raise CommandError(f"{directory} is not a folder")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user called {user!r}")
        bar = tqdm(total=0, unit="file", disable=no_progress, file=self.stderr._out)

        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)

        try:
            report = ingest_manifest(directory=Path(directory), manifest=Path(manifest), user=actor, progress=progress)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        finally:
            bar.close()
        for line, reason in report.errors:
            self.stderr.write(f"line {line}: skipped: {reason}")
        for line, recording in report.already:
            self.stdout.write(f"line {line}: already in the archive as {recording}")
        self.stdout.write(f"{len(report.added)} added, {len(report.already)} already present, "
                          f"{len(report.errors)} skipped with errors")
