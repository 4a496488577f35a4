"""Backup and restore of a whole archive: the way back after a lost disk or database.

A backup is a folder: a consistent snapshot of the database (PostgreSQL: pg_dump's custom format;
SQLite: its online backup API, safe while the archive runs), then ``manifest.json``, every file in
the primary storage with its SHA-256 and size, and under ``files/`` a copy of each file no replica
holds a good copy of (with no replica configured, every file). The database comes first: a file is
always stored before the row that names it commits, so every file the snapshot names is listed.

Restore rebuilds an empty archive from a backup: the database, then every listed file, taken from
the backup's own copy or from any replica whose copy matches, each verified as it is written. The
restored catalogue gets a new epoch (archive/versions.py), so nothing a cache kept under the old
archive's versions is ever served for the new one."""
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, connections
from django.utils import timezone

from ..models import CatalogueVersion, FileCopy, Recording
from ..selectors import replica_locations
from .checksums import sha256_of, stored_checksum
from .replicas import ReplicationError, copy_checked, replica_storage

MANIFEST = "manifest.json"
FORMAT = "songkeeper-backup/1"


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


def stored_names(storage=None, folder: str = "") -> list[str]:
    """Every file in a storage (the primary by default), walked folder by folder."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += stored_names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _database() -> dict:
    db = connections["default"].settings_dict
    return {"engine": "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql", **db}


def _pg_env(db: dict) -> dict:
    env = {**os.environ, "PGHOST": str(db.get("HOST") or "127.0.0.1"), "PGPORT": str(db.get("PORT") or 5432),
           "PGUSER": str(db.get("USER") or "postgres")}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[-2000:]}")


def _snapshot_database(dest: Path) -> dict:
    db = _database()
    if db["engine"] == "sqlite":
        target = dest / "database.sqlite3"
        source = sqlite3.connect(str(db["NAME"]))
        try:
            copy = sqlite3.connect(str(target))
            with copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
    else:
        target = dest / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), str(db["NAME"])], _pg_env(db))
    sha256, size = sha256_of(target)
    return {"engine": db["engine"], "file": target.name, "sha256": sha256, "size": size}


def _good_replicas() -> dict[str, set[str]]:
    """For each stored name of a recording's file, the replica locations holding a good copy."""
    out: dict[str, set[str]] = {}
    for name, location in FileCopy.objects.filter(ok=True).values_list("file__storage_name", "location"):
        out.setdefault(name, set()).add(location)
    return out


def backup_write(dest: Path, *, report=lambda message: None) -> dict:
    """Write a backup of the running archive into ``dest`` (new or empty)."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} exists and is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    database = _snapshot_database(dest)
    report(f"database: {database['file']} ({database['size']} bytes)")
    on_replicas, configured = _good_replicas(), set(replica_locations())
    files, copied = [], 0
    for name in stored_names():
        sha256, size = stored_checksum(default_storage, name)
        replicas = sorted(on_replicas.get(name, set()) & configured)
        entry = {"name": name, "sha256": sha256, "size": size, "replicas": replicas, "in_backup": not replicas}
        if entry["in_backup"]:
            target = dest / "files" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
            copied += 1
        files.append(entry)
    manifest = {"format": FORMAT, "created": timezone.now().isoformat(), "database": database,
                "recordings": Recording.objects.count(), "files": files}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1))
    report(f"{len(files)} file(s) listed, {copied} copied into the backup, {len(files) - copied} held by replicas")
    return {"files": len(files), "copied": copied, "database": database}


def _read_manifest(src: Path) -> dict:
    try:
        manifest = json.loads((src / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src} holds no readable {MANIFEST}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{src / MANIFEST} is not a Songkeeper backup ({FORMAT})")
    snapshot = src / manifest["database"]["file"]
    if not snapshot.exists() or sha256_of(snapshot)[0] != manifest["database"]["sha256"]:
        raise BackupError(f"the database snapshot {snapshot} is missing or changed since the backup")
    return manifest


def _archive_is_empty() -> bool:
    tables = connection.introspection.table_names()
    return "archive_recording" not in tables or not Recording.objects.exists()


def _restore_database(src: Path, manifest: dict) -> None:
    db = _database()
    if manifest["database"]["engine"] != db["engine"]:
        raise BackupError(f"the backup is of a {manifest['database']['engine']} database; this archive uses {db['engine']}")
    snapshot = src / manifest["database"]["file"]
    connections.close_all()
    if db["engine"] == "sqlite":
        source, target = sqlite3.connect(str(snapshot)), sqlite3.connect(str(db["NAME"]))
        try:
            with target:
                source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", "--dbname", str(db["NAME"]),
              str(snapshot)], _pg_env(db))
    connections.close_all()


def _restore_file(src: Path, entry: dict) -> str:
    """Put one listed file back in the primary storage; returns where it came from."""
    name, sha256, size = entry["name"], entry["sha256"], entry["size"]
    if default_storage.exists(name) and stored_checksum(default_storage, name) == (sha256, size):
        return "already there"
    own = src / "files" / name
    if own.exists():
        copy_checked(FileSystemStorage(location=str(src / "files")), default_storage, name, sha256=sha256, size=size)
        return "backup"
    for location in [*entry.get("replicas", []), *replica_locations()]:
        if location not in replica_locations():
            continue
        try:
            copy_checked(replica_storage(location), default_storage, name, sha256=sha256, size=size)
            return location
        except (ReplicationError, OSError):
            continue
    raise BackupError(f"{name}: no good copy in the backup or in any replica")


def backup_restore(src: Path, *, report=lambda message: None) -> dict:
    """Rebuild an empty archive from the backup in ``src`` plus the configured replicas."""
    src = Path(src)
    manifest = _read_manifest(src)
    if not _archive_is_empty():
        raise BackupError("this archive already holds recordings: restore only into an empty one")
    _restore_database(src, manifest)
    report(f"database restored from {manifest['database']['file']}")
    CatalogueVersion.objects.update_or_create(pk=1, defaults={"epoch": uuid.uuid4().hex})
    sources: dict[str, int] = {}
    missing = []
    for entry in manifest["files"]:
        try:
            source = _restore_file(src, entry)
        except BackupError as exc:
            missing.append(str(exc))
            continue
        sources[source] = sources.get(source, 0) + 1
    report(f"{len(manifest['files']) - len(missing)} file(s) restored and verified: "
           + ", ".join(f"{n} from {where}" for where, n in sorted(sources.items())))
    if missing:
        raise BackupError(f"{len(missing)} file(s) could not be restored: " + "; ".join(missing[:5]))
    return {"files": len(manifest["files"]), "sources": sources, "recordings": Recording.objects.count()}
