"""Real pings of the database, the broker and the workers, for /healthz."""
import redis
from django.conf import settings
from django.db import connection

from .celery import app


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"


def check_broker() -> tuple[bool, str]:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return True, "redis"
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"


def check_workers(timeout: float = 1.5) -> tuple[bool, str]:
    try:
        replies = app.control.ping(timeout=timeout)
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"
    if not replies:
        return False, "no worker answered"
    return True, f"{len(replies)} worker(s)"


_CHECKS: dict = {}


def health_check(name: str, check) -> None:
    """An app's part of the report (archive: fixity failures): ``check()`` returns a dict with ``ok``."""
    _CHECKS[name] = check


def health_report() -> dict:
    db_ok, db_detail = check_database()
    broker_ok, broker_detail = check_broker()
    workers_ok, workers_detail = check_workers() if broker_ok else (False, "broker unavailable")
    return {
        "status": "ok" if db_ok and broker_ok and workers_ok else "unavailable",
        **{name: check() if db_ok else None for name, check in _CHECKS.items()},
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
        "workers": {"ok": workers_ok, "detail": workers_detail},
    }
