"""The helpers that start real processes for tests and benchmarks leave nothing running: a Celery
worker stopped impatiently (SIGKILL after a short wait, as when a job holds up its warm shutdown)
takes its pool and its beat with it. (The load benchmark once left a worker behind.)"""
import os
import time

import pytest

from tests.processes import RedisServer, database_url, start_worker, stop, subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_a_worker_stopped_impatiently_leaves_no_pool_or_beat_behind(tmp_path):
    redis = RedisServer(tmp_path / "redis").start()
    try:
        worker = start_worker(subprocess_env(database_url(), redis.url), tmp_path / "worker.log")
        assert group_alive(worker.pid)
        stop(worker, timeout=0.05)  # no time for a warm shutdown: the main process is killed
        deadline = time.monotonic() + 5
        while group_alive(worker.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not group_alive(worker.pid)
    finally:
        redis.stop()
