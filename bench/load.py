"""`make bench` load row: Locust's users (bench/locustfile.py) against gunicorn as in production
(2 workers), with a Celery worker analysing the demo recordings and training a style model at the
same time, on the bench's database and a Redis server of its own, all on 127.0.0.1 and bounded
in time. Reports requests/s, p50/p95/p99 and errors, overall and for pages, search and streaming."""
import csv
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ("browse", "search", "stream")


def _stats(path: Path) -> dict:
    rows = list(csv.DictReader(open(path)))
    groups: dict = {}
    for row in rows:
        name = row["Name"]
        group = "all" if name == "Aggregated" else name.split(":", 1)[0]
        groups.setdefault(group, []).append(row)

    def merged(items):
        count = sum(int(r["Request Count"]) for r in items)
        if not count:
            return {"requests": 0}
        weight = lambda key: max(float(r[key] or 0) for r in items)  # noqa: E731  worst member of the group
        return {"requests": count, "errors": sum(int(r["Failure Count"]) for r in items),
                "requests_per_s": round(sum(float(r["Requests/s"]) for r in items), 1),
                "p50_ms": weight("50%"), "p95_ms": weight("95%"), "p99_ms": weight("99%")}

    return {group: merged(items) for group, items in groups.items()}


def run(*, users: int = 50, seconds: int = 60) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from archive.access import recordings_audible, recordings_visible
    from archive.demo import demo_load
    from archive.models import Membership
    from tests.processes import RedisServer, database_url, start_web, start_worker, stop, subprocess_env
    from worker.models import Job

    password = demo_load()["password"]
    members = sorted(set(Membership.objects.filter(role="member").values_list("user__username", flat=True)))
    var = Path(settings.VAR_DIR) / "load"
    var.mkdir(parents=True, exist_ok=True)
    redis = RedisServer(var / "redis").start()
    env = subprocess_env(database_url(), redis.url, JOB_SWEEP_EVERY_SECONDS="2", JOB_STALE_AFTER_SECONDS="5",
                         SONGKEEPER_PAGE_CACHE_SECONDS="30")
    worker = web = None
    try:
        worker = start_worker({**env, "OMP_NUM_THREADS": "1"}, var / "worker.log", niceness=19)
        web, port = start_web(env, var / "web.log", workers=2, threads=4)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300  # the demo's audio derived (access copies to stream)
        while Job.objects.filter(kind="recording.derive").exclude(state__in=["succeeded", "failed"]).exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the demo's audio was not derived in 5 minutes")
            time.sleep(1)
        visible = [str(pk) for pk in recordings_visible(user=None).order_by("?").values_list("pk", flat=True)[:300]]
        audible = [str(pk) for pk in recordings_audible(user=None).filter(files__role="access")
                   .values_list("pk", flat=True).distinct()]
        started = timezone.now()
        # background work during the load: every recording with audio analysed again, a model trained
        subprocess.run([sys.executable, "manage.py", "reanalyze"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        educator = get_user_model().objects.get(username="educator")
        token = Token.objects.get_or_create(user=educator)[0].key
        import requests

        trained = requests.post(f"{base}/api/style-models/", json={"tradition": "tagalog-childrens-songs"},
                                headers={"Authorization": f"Token {token}"}, timeout=60)
        out = var / "locust"
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", base,
             "--csv", str(out), "--only-summary", "--loglevel", "WARNING",
             "--reset-stats"],  # steady state: counted once every user has started (members signed in)
            cwd=ROOT, env={**env, "LOAD_RECORDINGS": ",".join(visible), "LOAD_AUDIBLE": ",".join(audible),
                 "LOAD_MEMBERS": ",".join(members), "LOAD_PASSWORD": password},
            capture_output=True, text=True, timeout=seconds + 120)
        if not Path(f"{out}_stats.csv").exists():
            raise RuntimeError(f"locust wrote no stats: {locust.stderr[-2000:]}")
        busy = dict(Counter(f"{kind} {state}" for kind, state in Job.objects.filter(
            kind__in=["recording.analyse", "generation.train"], created__gte=started).values_list("kind", "state")))
    finally:
        stop(web)
        stop(worker)
        redis.stop()
    return {"users": users, "signed_in_share": "1 in 5 (community members; the rest anonymous)",
            "seconds": seconds, "web": "gunicorn, 2 workers x 4 threads",
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "training_requested": trained.status_code, "background_jobs": busy,
            "targets": {"errors": 0, "p95_ms": 300}, **_stats(Path(f"{out}_stats.csv"))}


def print_rows(load: dict) -> None:
    print(f"\nload: {load['users']} users ({load['signed_in_share']}) for {load['seconds']} s against "
          f"{load['web']}, {load['database']}, while a worker analyses and trains "
          f"(targets: {load['targets']['errors']} errors, p95 under {load['targets']['p95_ms']} ms)")
    print(f"{'requests':<10} {'count':>7} {'errors':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for group in ("all", *GROUPS, "sign-in"):
        row = load.get(group)
        if row and row.get("requests"):
            print(f"{group:<10} {row['requests']:>7} {row['errors']:>7} {row['requests_per_s']:>7} "
                  f"{row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import json
    import logging

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    logging.getLogger("archive.page_cache").setLevel(logging.ERROR)  # this process has no Redis of its own
    result = run(users=int(os.environ.get("LOAD_USERS", "50")), seconds=int(os.environ.get("LOAD_SECONDS", "60")))
    print_rows(result)
    print(json.dumps(result, indent=2))
