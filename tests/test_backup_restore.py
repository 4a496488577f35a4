"""The restore drill: a running archive with recordings (every protocol), analyses, a style model
and a study example, its files copied to two replicas, is backed up (manage.py backup). Then a
fresh instance (its own empty database and an empty primary storage, as after a lost server) is
rebuilt from the backup and a replica (manage.py restore) and served by gunicorn. It must answer
every role as the original did, keep every file's checksum, pass fixity, and start a new epoch."""
import json
import subprocess
import sys
import uuid

import pytest
import requests
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connections
from django.test import Client
from rest_framework.authtoken.models import Token

from archive import versions
from archive.models import Recording, RecordingFile
from archive.services.analysis import recording_analyse
from archive.services.backup import stored_names
from archive.services.checksums import sha256_of, stored_checksum
from archive.services.derivatives import recording_derive
from archive.services.ingest import recording_attach_master
from archive.services.replicas import replicate_missing
from generation.models import StudyExample
from generation.services.examples import Request, examples_generate, generation_start
from generation.services.training import style_model_create, style_model_train
from tests import factories as f
from tests.audio.melody import write_melody
from tests.processes import ROOT, database_url, start_web, stop, subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)
PROTOCOLS = [("public", "public"), ("public", "registered"), ("registered", "registered"), ("community", "community"),
             ("stewards", "stewards")]


@pytest.fixture
def archive(replicas, settings, tmp_path):
    """The running archive: its primary storage a folder of this test's own."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path / "media")}}}
    settings.STYLE_TRANSFORMER = None
    steward, member, registered = f.make_user("drill-steward"), f.make_user("drill-member"), f.make_user("drill-reg")
    community = f.make_community(stewards=[steward], members=[member], name="Drill singers")
    tradition = f.make_tradition(community, name="Drill songs")
    for i, (record, media) in enumerate(PROTOCOLS):
        recording = f.make_recording(community, tradition, title=f"Song {i}", record_protocol=record,
                                     media_protocol=media, training_consent="allowed")
        path = tmp_path / f"song-{i}.wav"
        write_melody(path, 10 + i, scale="hicaz-like", seconds=8.0, tonic_hz=190.0 + 5 * i)
        recording_attach_master(recording=recording, path=path, original_name=path.name, user=steward)
        recording_analyse(recording=recording)
        recording_derive(recording=recording)
    model = style_model_create(user=member, tradition=tradition)
    style_model_train(model=model)
    model.refresh_from_db()
    examples_generate(model=model, job=generation_start(model=model, user=member, request=Request(length_notes=8)))
    replicate_missing()
    tokens = {"anonymous": None, **{who: Token.objects.create(user=user).key for who, user in
                                    (("registered", registered), ("member", member), ("steward", steward))}}
    return {"tokens": tokens, "model": model, "tmp": tmp_path}


def answers(get, tokens: dict) -> dict:
    """What each role is answered: the recordings listed, each one's record and audio status, the
    record itself (for those who see it), the models and examples."""
    ids = [str(pk) for pk in Recording.objects.order_by("title").values_list("pk", flat=True)]
    examples = [str(pk) for pk in StudyExample.objects.values_list("pk", flat=True)]
    out = {}
    for who, token in tokens.items():
        status, listing = get("/api/recordings/?page_size=100", token)
        seen = {"listed": sorted(r["id"] for r in listing["results"])}
        for pk in ids:
            status, record = get(f"/api/recordings/{pk}/", token)
            kept = {k: record.get(k) for k in ("title", "record_protocol", "media_protocol", "labels", "files", "analysis")}
            seen[pk] = {"record": status, "audio": get(f"/api/recordings/{pk}/audio/", token)[0],
                        "notes": get(f"/api/recordings/{pk}/notes/", token)[0],
                        "fields": kept if status == 200 else None}
        seen["models"] = sorted(m["id"] for m in get("/api/style-models/", token)[1]["results"])
        seen["examples"] = {pk: get(f"/api/examples/{pk}/", token)[0] for pk in examples}
        out[who] = seen
    return out


def django_get(path, token):
    client = Client(HTTP_AUTHORIZATION=f"Token {token}") if token else Client()
    response = client.get(path)
    return response.status_code, (response.json() if response["Content-Type"] == "application/json" else None)


def served_get(port):
    def get(path, token):
        headers = {"Authorization": f"Token {token}"} if token else {}
        with requests.get(f"http://127.0.0.1:{port}{path}", headers=headers, stream=True, timeout=60) as response:
            json_body = response.headers.get("Content-Type") == "application/json"
            return response.status_code, (response.json() if json_body else None)
    return get


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture
def fresh_database():
    """An empty database for the fresh instance: a new SQLite file, or a new PostgreSQL database."""
    url = database_url()
    if url.startswith("sqlite"):
        yield None
        return
    import psycopg

    name = f"songkeeper_drill_{uuid.uuid4().hex[:10]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_lost_archive_is_rebuilt_from_its_backup_and_a_replica(archive, fresh_database, settings):
    tokens, tmp = archive["tokens"], archive["tmp"]
    before = answers(django_get, tokens)
    assert before["steward"]["listed"] != before["anonymous"]["listed"]  # the roles do differ
    assert before["member"]["models"] and all(s == 200 for s in before["member"]["examples"].values())
    files = {name: stored_checksum(default_storage, name) for name in stored_names()}
    assert any(n.startswith("models/") for n in files) and any("/analysis/" in n for n in files)
    old_epoch = versions.current().epoch  # made where the row is missing, as any reader does

    call_command("backup", str(tmp / "backup"))
    manifest = json.loads((tmp / "backup" / "manifest.json").read_text())
    assert {e["name"]: (e["sha256"], e["size"]) for e in manifest["files"]} == files
    held = {e["name"] for e in manifest["files"] if not e["in_backup"]}
    assert held == set(RecordingFile.objects.values_list("storage_name", flat=True))  # on the replicas: not copied
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp / "backup"))

    # the fresh instance: its own database and primary storage; only the first replica survives
    fresh = tmp / "fresh"
    url = fresh_database or f"sqlite:///{fresh / 'restored.sqlite3'}"
    fresh.mkdir()
    survivor = [r for r in settings.STORAGE_REPLICAS if r["name"] == "disk-b"]
    env = subprocess_env(url, settings.REDIS_URL, SONGKEEPER_VAR=str(fresh), MEDIA_ROOT=str(fresh / "media"),
                         STORAGE_REPLICAS=json.dumps(survivor))
    restored = manage(env, "restore", str(tmp / "backup"))
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "from disk-b" in restored.stdout and "from backup" in restored.stdout
    again = manage(env, "restore", str(tmp / "backup"))
    assert again.returncode != 0 and "already holds recordings" in again.stderr  # never over an archive
    fixity = manage(env, "fixity", "--all")
    assert fixity.returncode == 0 and f"checked {len(PROTOCOLS)} master(s): 0 failed" in fixity.stdout, fixity.stdout
    epoch = manage(env, "shell", "-c", "from archive.models import CatalogueVersion; "
                                       "print(CatalogueVersion.objects.get(pk=1).epoch)")
    assert epoch.stdout.strip() not in ("", old_epoch)  # nothing cached for the old archive is served for this one
    for name, (sha256, size) in files.items():
        assert sha256_of(fresh / "media" / name) == (sha256, size), name

    web, port = start_web(env, tmp / "web.log")
    try:
        after = answers(served_get(port), tokens)
    finally:
        stop(web)
        connections.close_all()
    assert after == before


def test_a_restore_refuses_what_is_not_a_backup_or_has_changed(tmp_path):
    f.make_recording(f.make_community(), title="Kept")
    with pytest.raises(CommandError, match="no readable manifest.json"):
        call_command("restore", str(tmp_path / "nowhere"))
    call_command("backup", str(tmp_path / "b"))
    snapshot = next(p for p in (tmp_path / "b").iterdir() if p.name.startswith("database."))
    snapshot.write_bytes(snapshot.read_bytes()[:-10])
    with pytest.raises(CommandError, match="missing or changed"):
        call_command("restore", str(tmp_path / "b"))
