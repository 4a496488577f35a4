"""manage.py runstack: the whole archive on one machine, as `make run` starts it.

Migrates, loads the demo once, starts an embedded Redis unless REDIS_URL is set,
a Celery worker with beat, and the web server; Ctrl-C or SIGTERM (what a service manager
sends) stops everything it started. Safe for a small community on one machine: debug is off
unless DEBUG is set, with a secret key generated once and kept in the var folder.
"""
import os
import secrets
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from worker.embedded_redis import start_embedded_redis, stop_embedded_redis


class Stopped(Exception):
    """SIGTERM arrived."""


def _stop(signum, frame):
    raise Stopped


def _safe_defaults() -> dict:
    """Debug off unless DEBUG is set (no debug page listing every address to a visitor); a secret
    key made once and kept, readable by its owner only, in the var folder; cookies over plain
    http, since the archive is served on this machine's own address."""
    if os.environ.get("DEBUG") is not None:
        return {}
    key_file = settings.VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return {"DEBUG": "0", "SECRET_KEY": os.environ.get("SECRET_KEY") or key_file.read_text().strip(),
            "SECURE_COOKIES": os.environ.get("SECURE_COOKIES", "0")}


class Command(BaseCommand):
    help = "Run web server, worker, beat (and an embedded Redis) together."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, addr, no_demo, **options):
        redis_server, children = None, []
        signal.signal(signal.SIGTERM, _stop)  # a service manager stops us as Ctrl-C does
        try:
            if settings.REDIS_EMBEDDED:
                redis_server = start_embedded_redis(settings.EMBEDDED_REDIS_SOCKET, settings.VAR_DIR / "redis.db")
                self.stdout.write(f"embedded Redis on {settings.EMBEDDED_REDIS_SOCKET}")
            call_command("migrate", interactive=False, verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
            if not no_demo:
                call_command("load_demo")
            env = {**os.environ, "PYTHONUNBUFFERED": "1", **_safe_defaults()}
            python = sys.executable
            worker_cmd = [python, "-m", "celery", "-A", "worker", "worker", "--beat", "-Q", "default,analysis,training",
                          "--concurrency", "2", "-l", "info",
                          "--schedule", str(settings.VAR_DIR / "celerybeat-schedule")]
            web_cmd = [python, "manage.py", "runserver", addr, "--noreload"]
            children = [subprocess.Popen(worker_cmd, env=env), subprocess.Popen(web_cmd, env=env)]
            self.stdout.write(self.style.SUCCESS(f"Songkeeper is running at http://{addr}/  (Ctrl-C stops it)"))
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            self.stderr.write("a process stopped; shutting down the rest")
        except (KeyboardInterrupt, Stopped):
            self.stdout.write("stopping…")
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM does not cut the shutdown short
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
            if redis_server is not None:
                stop_embedded_redis(redis_server)
