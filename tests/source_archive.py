"""Another archive to harvest from: a second Songkeeper, with its own database, Redis and gunicorn,
serving OAI-PMH and IIIF as any instance does. The test changes it through this module's commands,
run against that database (``python -m tests.source_archive populate 240``)."""
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from tests.processes import ROOT, RedisServer, start_web, stop

SOURCE_NAMESPACE = uuid.UUID("6f1d3c2a-8a57-4c1e-9d0b-5e2f0a7b9c11")  # the source's ids: uuid5(this, "song-N")
PEOPLE = ["Nguyễn Thị Lan", "Sevdah Emina", "Γιάννης Κ.", "Þórr Ólafsson"]
LANGUAGES = ["vie", "bos", "ell", "isl"]
PLACES = [("Hội An", "VN"), ("Sarajevo", "BA"), ("Epirus", "GR"), ("Akureyri", "IS")]


def populate(count: int) -> None:
    """``count`` published, public recordings (the OAI-PMH answer's records), and one kept to the
    community (never harvested)."""
    from django.db import transaction

    with transaction.atomic():  # one commit: the search rows are rebuilt once, not after every save
        _populate(count)


def _populate(count: int) -> None:
    from archive.models import Collection, Community, Language, Person, Place, Recording, RecordingPerson, Tradition

    community = Community.objects.create(slug="elsewhere", name="Singers elsewhere")
    tradition = Tradition.objects.create(slug="far-songs", name="Far songs")
    tradition.communities.add(community)
    places = [Place.objects.create(name=name, country=country) for name, country in PLACES]
    people = [Person.objects.create(name=name) for name in PEOPLE]
    languages = [Language.objects.get_or_create(code=code)[0] for code in LANGUAGES]
    collection = Collection.objects.create(id=uuid.uuid5(SOURCE_NAMESPACE, "collection"), community=community,
                                           title="Five songs")
    for i in range(count):
        recording = Recording.objects.create(
            id=uuid.uuid5(SOURCE_NAMESPACE, f"song-{i}"), collection=collection if i < 5 else None,
            title=f"Song {i:04d} of the far shore", description=f"Sung at dusk, recording {i}.", community=community,
            tradition=tradition, status="published", record_protocol="public", media_protocol="public",
            date=f"{1960 + i % 40}", year_from=1960 + i % 40, year_to=1960 + i % 40, place=places[i % 4],
            rights="CC BY 4.0" if i % 2 else "All rights reserved by the depositor")
        RecordingPerson.objects.create(recording=recording, person=people[i % 4], role="performer")
        recording.languages.add(languages[i % 4])
    Recording.objects.create(title="Kept to the community", community=community, tradition=tradition,
                             status="published", record_protocol="community")


def add_audio(*numbers: int) -> None:
    """A real recording (fixtures/audio) as the master of these songs, with its access copy: their
    IIIF manifests then paint the audio on the canvas."""
    import shutil
    import tempfile

    from django.contrib.auth import get_user_model

    from archive.models import Membership, Recording
    from archive.services.derivatives import recording_derive
    from archive.services.ingest import recording_attach_master

    keeper = get_user_model().objects.create_user("keeper")
    for number in numbers:
        recording = Recording.objects.get(pk=uuid.uuid5(SOURCE_NAMESPACE, f"song-{number}"))
        Membership.objects.get_or_create(community=recording.community, user=keeper, defaults={"role": "steward"})
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "song.wav"
            shutil.copy(ROOT / "fixtures" / "audio" / "vocadito-ako-ay-may-lobo.wav", copy)
            recording_attach_master(recording=recording, path=copy, original_name=f"song-{number}.wav", user=keeper)
        recording_derive(recording=recording)


def retitle(prefix: str, count: int) -> None:
    """The first ``count`` songs renamed at the source."""
    from archive.models import Recording

    for recording in Recording.objects.filter(title__startswith="Song ").order_by("title")[:count]:
        recording.title = f"{prefix} {recording.title}"
        recording.save()


def withdraw(count: int) -> None:
    """The last ``count`` songs withdrawn at the source (OAI-PMH: deleted records)."""
    from archive.models import Recording

    for recording in Recording.objects.filter(title__contains="of the far shore").order_by("-title")[:count]:
        recording.status = "withdrawn"
        recording.save()


_migrated: Path | None = None  # the template database of this test run


class SourceArchive:
    """Start with ``start()``; ``run(command, *args)`` changes it; ``stop()`` ends it."""

    def __init__(self, workdir: Path, *, page_size: int = 50):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.redis = RedisServer(workdir)
        self.page_size = page_size
        self.web = None
        self.port = None

    @property
    def env(self) -> dict:
        return {**os.environ, "DATABASE_URL": f"sqlite:///{self.database}", "REDIS_URL": self.redis.url,
                "SONGKEEPER_VAR": str(self.workdir / "var"), "OAI_PAGE_SIZE": str(self.page_size),
                "OAI_REPOSITORY_ID": "elsewhere.example", "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}

    def migrate(self) -> None:
        """Its schema: migrated once per test run into a template database, then copied (migrating
        a new SQLite database takes several seconds)."""
        global _migrated
        if _migrated is None:
            template = SourceArchive(Path(tempfile.mkdtemp(prefix="source-template-")))
            template.manage("migrate", "-v0")
            _migrated = template.database
        shutil.copyfile(_migrated, self.database)

    @property
    def database(self) -> Path:
        return self.workdir / "source.sqlite3"

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True)

    def run(self, command: str, *args) -> None:
        result = subprocess.run([sys.executable, "-m", "tests.source_archive", command, *map(str, args)], cwd=ROOT,
                                env=self.env, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"source archive {command}: {result.stderr[-3000:]}")

    def start(self, *, port: int | None = None) -> "SourceArchive":
        if self.redis.proc is None:
            self.redis.start()
        self.web, self.port = start_web(self.env, self.workdir / "web.log", port=port or self.port)
        return self

    def stop_web(self) -> None:
        stop(self.web)
        self.web = None

    def stop(self) -> None:
        self.stop_web()
        self.redis.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *args = argv
    {"populate": lambda: populate(int(args[0])), "retitle": lambda: retitle(args[0], int(args[1])),
     "add_audio": lambda: add_audio(*map(int, args)),
     "withdraw": lambda: withdraw(int(args[0]))}[command]()


if __name__ == "__main__":
    main(sys.argv[1:])
