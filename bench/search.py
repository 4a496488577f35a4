"""`make bench` rows for search at scale: p50/p95 of a full-text query, a faceted query, a
feature-filter query and a similar-recordings query, anonymous and as a member, on the
database the environment names, at the catalogue sizes in BENCH_SEARCH_SIZES; the first search
after a real write (a protocol change, a label); the floor under full text (its visible matches
only counted, one statement); and the process's resident memory after them.
Each for both implementations: the database's engine, and the in-memory accelerator (the
snapshot) where the catalogue is within its bound."""
import os
import statistics
import time

QUERIES = {
    "full text": "/api/search/?q=harvest%20song&limit=20",
    "faceted": "/api/search/?q=river&tradition={tradition}&limit=20",
    "feature filter": "/api/search/?q=&tonic_min=150&tonic_max=220&tempo_min=90&limit=20",
}


def _time(client, url, repeat, before=lambda: None):
    client.get(url)
    samples = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return _p50_p95(samples)


def _p50_p95(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of ``samples`` (seconds), in ms."""
    ordered = sorted(samples)
    return round(statistics.median(ordered) * 1000, 1), round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1)


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _snapshot_row(size: int) -> dict:
    """Build this process's snapshot as a search would after a write (the queries then read it)."""
    from archive.search import snapshot

    before, start = _rss_mb(), time.perf_counter()
    snapshot._state.update(key=None, snapshot=None)
    assert snapshot.current_snapshot() is not None
    ms = round((time.perf_counter() - start) * 1000, 1)
    return {"catalogue": size, "implementation": "in-memory accelerator", "query": "snapshot build", "user": "-",
            "p50_ms": ms, "p95_ms": ms, "rss_growth_mb": round(_rss_mb() - before, 1)}


def _counted_floor(user, terms: list[str], repeat: int) -> tuple[float, float]:
    """The floor under a full-text search: one statement that only counts the rows the caller may
    see holding every term, matched as the engine matches them (no ranking, page or facets), so
    a figure can be read next to the least the database takes for that many matches."""
    from django.db import connection

    from archive.policy import search_rows_visible
    from archive.search.engine import DIALECTS

    rows_sql, rows_params = search_rows_visible(user=user).order_by().values("id", "folded").query.sql_with_params()
    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeat + 1):
            start = time.perf_counter()
            condition, params = DIALECTS[connection.vendor].matching(cursor, terms)
            cursor.execute(f"SELECT COUNT(*) FROM ({rows_sql}) s WHERE {condition}", [*rows_params, *params])
            cursor.fetchone()
            samples.append(time.perf_counter() - start)
    return _p50_p95(samples[1:])


def _protocol_change(recording_id, steward):
    """A real write that access depends on: the record protocol of one recording, changed through
    the service as a steward would (the database's triggers move the versions)."""
    from archive.models import Recording
    from archive.search import snapshot
    from archive.services.recordings import recording_update

    def write():
        while snapshot._state["building"]:  # each timed search is the first after a write
            time.sleep(0.05)
        recording = Recording.objects.get(pk=recording_id)
        level = "registered" if recording.record_protocol == "public" else "public"
        recording_update(recording=recording, data={"record_protocol": (level, None), "media_protocol": (level, None)},
                         user=steward)
    return write


def _label_change(recording_id, steward):
    """A real write that search depends on: a label added or taken off through the service (the
    recording's search row is rebuilt as it commits)."""
    from archive.models import Recording, RecordingLabel
    from archive.search import snapshot
    from archive.services.recordings import recording_update

    def write():
        while snapshot._state["building"]:
            time.sleep(0.05)
        recording = Recording.objects.get(pk=recording_id)
        has = RecordingLabel.objects.filter(recording=recording, label_id="tk_seasonal").exists()
        recording_update(recording=recording, data={"labels": [] if has else ["tk_seasonal"]}, user=steward)
    return write


def run() -> list[dict]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from archive.models import Recording, Tradition

    settings.PAGE_CACHE_SECONDS = 0  # the search itself is measured, not the anonymous page cache

    sizes = [int(s) for s in os.environ.get("BENCH_SEARCH_SIZES", "10000,100000").split(",") if s]
    repeat = int(os.environ.get("BENCH_REPEAT", "20"))
    rows = []
    for size in sizes:
        have = Recording.objects.filter(community__slug__startswith="gen-").count()
        if have < size:
            call_command("build_catalogue", size - have, "--seed", str(size + have), stdout=open(os.devnull, "w"))
        tradition = Tradition.objects.get(slug="gen-t1").pk
        source = Recording.objects.filter(community__slug="gen-0", record_protocol="public").first().pk
        member = get_user_model().objects.get(username="catalogue-member")
        staff, _ = get_user_model().objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
        changed = Recording.objects.filter(community__slug="gen-1").exclude(pk=source).first().pk
        implementations = ["database engine"]
        if size <= settings.SEARCH_SNAPSHOT_MAX_RECORDINGS:
            implementations.append("in-memory accelerator")
        for implementation in implementations:
            settings.SEARCH_SNAPSHOT = "off"  # a process that has served requests (its modules are loaded)
            for url in QUERIES.values():
                Client().get(url.format(tradition=tradition))
            if implementation == "in-memory accelerator":
                settings.SEARCH_SNAPSHOT = "sync"  # ... builds its snapshot, before the timing starts
                rows.append(_snapshot_row(size))
            rows += _timed_rows(size, implementation, tradition, source, member, changed, staff, repeat)
            rows.append({"catalogue": size, "implementation": implementation, "query": "resident memory (MB)",
                         "user": "-", "p50_ms": round(_rss_mb(), 1), "p95_ms": round(_rss_mb(), 1)})
    settings.SEARCH_SNAPSHOT = "background"
    return rows


def _timed_rows(size, implementation, tradition, source, member, changed, staff, repeat) -> list[dict]:
    from django.conf import settings
    from django.test import Client

    rows = []
    for who in ("anonymous", "member"):
        client = Client()
        if who == "member":
            client.force_login(member)
        for name, url in {**QUERIES, "similar": f"/api/recordings/{source}/similar/?limit=10"}.items():
            p50, p95 = _time(client, url.format(tradition=tradition), repeat)
            rows.append({"catalogue": size, "implementation": implementation, "query": name, "user": who,
                         "p50_ms": p50, "p95_ms": p95})
        if implementation == "database engine":
            p50, p95 = _counted_floor(member if who == "member" else None, ["harvest", "song"], repeat)
            rows.append({"catalogue": size, "implementation": implementation, "user": who, "p50_ms": p50,
                         "p95_ms": p95, "query": "floor: full text's visible matches only counted"})
        after = max(3, repeat // 4)
        if implementation == "in-memory accelerator":  # as the default mode answers it: from the
            settings.SEARCH_SNAPSHOT = "background"  # database while a thread rebuilds the snapshot
        for name, write in (("protocol change", _protocol_change), ("label", _label_change)):
            p50, p95 = _time(client, QUERIES["full text"], after, before=write(changed, staff))
            rows.append({"catalogue": size, "implementation": implementation,
                         "query": f"full text, first after a {name}", "user": who, "p50_ms": p50, "p95_ms": p95})
        if implementation == "in-memory accelerator":
            settings.SEARCH_SNAPSHOT = "sync"
    return rows
