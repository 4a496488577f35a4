"""`make bench` rows for preservation, each in a fresh instance of its own (a temporary SONGKEEPER_VAR
and SQLite database, so the benchmark catalogue is untouched): replication throughput of masters
to a second disk and to an S3-compatible bucket (moto's server on 127.0.0.1, so the figure is the
archive's own cost, not a network's), and the time to back up the demo archive and to restore it
into an empty instance (manage.py backup / restore, as an operator runs them)."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_REPLICATE = """
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from archive.services.ingest import recording_attach_master
from archive.services.replicas import replicate_missing
from archive.models import RecordingFile
from tests import factories as f
from tests.audio.melody import RATE, melody
import soundfile as sf
steward = f.make_user("bench-steward")
community = f.make_community(stewards=[steward])
for i in range({files}):
    path = os.path.join({tmp!r}, f"m{{i}}.wav")
    audio, _ = melody(i, seconds={seconds})
    sf.write(path, audio, RATE, subtype="PCM_24")
    recording_attach_master(recording=f.make_recording(community), path=path, original_name="m.wav", user=steward)
size = sum(RecordingFile.objects.values_list("size", flat=True))
start = time.perf_counter()
result = replicate_missing()
seconds = time.perf_counter() - start
print(json.dumps({{"files": {files}, "mb": round(size / 1e6, 1), "seconds": round(seconds, 2),
                  "mb_per_s": round(size / 1e6 / seconds, 1), **result}}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(var: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "STORAGE_REPLICAS", "S3_BUCKET")}
    return {**env, "SONGKEEPER_VAR": str(var), "MEDIA_ROOT": str(var / "media"), "PYTHONUNBUFFERED": "1", **extra}


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def replication(files: int, seconds: float) -> dict:
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="bench", aws_secret_access_key="bench",
                 region_name="us-east-1").create_bucket(Bucket="bench-replica")
    rows = {}
    try:
        for name, replica in (
            ("second disk", {"name": "disk", "BACKEND": "django.core.files.storage.FileSystemStorage"}),
            ("S3 bucket (moto)", {"name": "bucket", "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
                "bucket_name": "bench-replica", "endpoint_url": endpoint, "access_key": "bench", "secret_key": "bench",
                "region_name": "us-east-1", "default_acl": None, "file_overwrite": True}}),
        ):
            with tempfile.TemporaryDirectory() as tmp:
                var = Path(tmp)
                if "OPTIONS" not in replica:
                    replica = {**replica, "OPTIONS": {"location": str(var / "replica")}}
                code = _REPLICATE.format(root=str(ROOT), tmp=tmp, files=files, seconds=seconds)
                done = subprocess.run([sys.executable, "-c", code], env=_env(var, STORAGE_REPLICAS=json.dumps([replica])),
                                      capture_output=True, text=True, check=True, cwd=ROOT)
                rows[name] = _last_json(done.stdout)
    finally:
        server.stop()
    return rows


def _manage(env: dict, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return round(time.perf_counter() - start, 2)


def demo_backup_and_restore() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "source", Path(tmp) / "target"
        source_env, target_env = _env(source), _env(target)
        _manage(source_env, "migrate", "--verbosity", "0")
        load = _manage(source_env, "load_demo")
        backup = _manage(source_env, "backup", str(Path(tmp) / "backup"))
        manifest = json.loads((Path(tmp) / "backup" / "manifest.json").read_text())
        restore = _manage(target_env, "restore", str(Path(tmp) / "backup"))
        return {"recordings": manifest["recordings"], "files": len(manifest["files"]),
                "mb": round(sum(e["size"] for e in manifest["files"]) / 1e6, 1), "load_demo_seconds": load,
                "backup_seconds": backup, "restore_seconds": restore}


def run() -> dict:
    return {"replication": replication(int(os.environ.get("BENCH_REPLICA_FILES", "10")),
                                       float(os.environ.get("BENCH_REPLICA_SECONDS", "120"))),
            "demo": demo_backup_and_restore()}


def print_rows(result: dict) -> None:
    print("\npreservation (a fresh instance each; SQLite)")
    for name, row in result["replication"].items():
        print(f"  replication of {row['files']} masters ({row['mb']} MB) to a {name}: {row['seconds']} s = "
              f"{row['mb_per_s']} MB/s (each source checked against its ingest sha256 as it is copied)")
    demo = result["demo"]
    print(f"  the demo archive ({demo['recordings']} recordings, {demo['files']} files, {demo['mb']} MB): backup "
          f"{demo['backup_seconds']} s, restore into an empty instance {demo['restore_seconds']} s "
          f"(manage.py, process start included)")


if __name__ == "__main__":
    out = run()
    print(json.dumps(out, indent=1))
    print_rows(out)
