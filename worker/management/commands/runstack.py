"""manage.py runstack: the whole archive on one machine, as `make run` starts it.

Migrates, loads the demo once, starts an embedded Redis unless REDIS_URL is set,
a Celery worker with beat, and the web server; Ctrl-C stops everything it started.
"""
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from worker.embedded_redis import start_embedded_redis, stop_embedded_redis


class Command(BaseCommand):
    help = "Run web server, worker, beat (and an embedded Redis) together."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, addr, no_demo, **options):
        redis_server = None
        if settings.REDIS_EMBEDDED:
            redis_server = start_embedded_redis(settings.EMBEDDED_REDIS_SOCKET, settings.VAR_DIR / "redis.db")
            self.stdout.write(f"embedded Redis on {settings.EMBEDDED_REDIS_SOCKET}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo:
            call_command("load_demo")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        python = sys.executable
        worker_cmd = [python, "-m", "celery", "-A", "worker", "worker", "--beat", "-Q", "default,analysis,training",
                      "--concurrency", "2", "-l", "info",
                      "--schedule", str(settings.VAR_DIR / "celerybeat-schedule")]
        web_cmd = [python, "manage.py", "runserver", addr, "--noreload"]
        children = [subprocess.Popen(worker_cmd, env=env), subprocess.Popen(web_cmd, env=env)]
        self.stdout.write(self.style.SUCCESS(f"Songkeeper is running at http://{addr}/  (Ctrl-C stops it)"))
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            self.stderr.write("a process stopped; shutting down the rest")
        except KeyboardInterrupt:
            self.stdout.write("stopping…")
        finally:
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
