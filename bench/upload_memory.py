"""Peak memory of the web process (gunicorn, as in production) while it receives a large
upload through POST /api/recordings/{id}/upload/: the body is streamed to disk and hashed in
the same pass, then decoded in blocks, so memory should stay flat whatever the size."""
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent


def make_wav(path: Path, size_bytes: int) -> Path:
    """A 16-bit stereo 48 kHz WAV of about ``size_bytes``, written in blocks."""
    if path.exists() and abs(path.stat().st_size - size_bytes) < 1_000_000:
        return path
    rate, frames_total = 48000, size_bytes // 4
    t = np.arange(rate * 10) / rate
    block = np.stack([0.3 * np.sin(2 * np.pi * 196 * t), 0.3 * np.sin(2 * np.pi * 293.66 * t)], axis=1).astype("float32")
    with sf.SoundFile(str(path), "w", samplerate=rate, channels=2, subtype="PCM_16", format="WAV") as f:
        written = 0
        while written < frames_total:
            part = block[: frames_total - written]
            f.write(part)
            written += len(part)
    return path


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(size_mb: int, env: dict) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from archive.models import RecordingFile
    from tests import factories as f

    call_command("migrate", verbosity=0, interactive=False)
    import uuid

    from archive.models import Community, Membership, Recording, Tradition

    tag = uuid.uuid4().hex[:8]  # the bench database is kept between runs
    user = f.make_user(f"bench-uploader-{tag}")
    community = Community.objects.create(slug=f"bench-upload-{tag}", name=f"Bench upload {tag}")
    Membership.objects.create(community=community, user=user, role="steward")
    tradition = Tradition.objects.create(slug=f"bench-upload-{tag}", name="Bench tradition")
    recording = Recording.objects.create(title="bench upload", community=community, tradition=tradition,
                                         status="published", record_protocol="public", media_protocol="public")
    token = Token.objects.create(user=user).key
    var = Path(env["SONGKEEPER_VAR"]).resolve()
    wav = make_wav(var / "bench-upload.wav", size_mb * 1024 * 1024)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
                               "--timeout", "900"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        workers = _children(server.pid)
        baseline = sum(_rss_kib(p) for p in workers)
        peak = [baseline]
        done = threading.Event()

        def watch():
            while not done.is_set():
                peak[0] = max(peak[0], sum(_rss_kib(p) for p in _children(server.pid)))
                time.sleep(0.02)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        boundary = "----songkeeper-bench"
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{wav.name}"\r\n'
                "Content-Type: audio/wav\r\n\r\n").encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        length = len(head) + wav.stat().st_size + len(tail)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        start = time.perf_counter()
        conn.putrequest("POST", f"/api/recordings/{recording.pk}/upload/")
        conn.putheader("Authorization", f"Token {token}")
        conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        conn.putheader("Content-Length", str(length))
        conn.endheaders()
        conn.send(head)
        with open(wav, "rb") as fh:
            while chunk := fh.read(1 << 20):
                conn.send(chunk)
        conn.send(tail)
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        done.set()
        watcher.join()
        assert response.status == 201, body[:500]
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = RecordingFile.objects.get(recording=recording, role="master")
    from django.core.files.storage import default_storage

    default_storage.delete(stored.storage_name)
    return {"benchmark": "upload memory (multipart, gunicorn)", "file_mb": size_mb, "seconds": round(elapsed, 1),
            "baseline_rss_mb": round(baseline / 1024, 1), "peak_rss_mb": round(peak[0] / 1024, 1),
            "target_peak_rss_mb": 150}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    print(run(int(os.environ.get("BENCH_UPLOAD_MB", "1024")), dict(os.environ)))
