"""`make bench`: catalogue reads, upload memory, search, analysis speed, memory and accuracy,
style models (held-out bits per note, training and generation time, generated-vs-real distances),
preservation (replication throughput, backing up and restoring the demo archive).
Writes bench/results.json and prints a table.

Access-filtered catalogue reads on a generated catalogue, as an anonymous visitor,
a community member and a steward: the list API, a filtered list, a detail, and the
home page. Each row is p50/p95 over repeated requests through Django's test client
(no network), on the database the environment names (SQLite by default).
"""
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2), "n": len(ordered)}


def build_catalogue(n: int):
    import random

    from django.contrib.auth import get_user_model

    from archive.labels import labels_sync
    from archive.models import Community, Label, Membership, Recording, RecordingLabel, Tradition

    labels_sync(Label)
    User = get_user_model()
    rng = random.Random(7)
    member, _ = User.objects.get_or_create(username="bench-member")
    steward, _ = User.objects.get_or_create(username="bench-steward")
    if Recording.objects.count() >= n:
        return member, steward
    communities = [Community.objects.get_or_create(slug=f"bench-{i}", defaults={"name": f"Bench {i}"})[0] for i in range(20)]
    Membership.objects.get_or_create(community=communities[0], user=member, defaults={"role": "member"})
    Membership.objects.get_or_create(community=communities[1], user=steward, defaults={"role": "steward"})
    traditions = [Tradition.objects.get_or_create(slug=f"bench-t{i}", defaults={"name": f"Tradition {i}"})[0] for i in range(10)]
    levels = ["public", "public", "registered", "community", "stewards"]
    batch = []
    for i in range(Recording.objects.count(), n):
        level = rng.choice(levels)
        batch.append(Recording(title=f"Recording {i}", community=rng.choice(communities), tradition=rng.choice(traditions),
                               status="published" if rng.random() < 0.9 else "draft", record_protocol=level,
                               media_protocol=level, year_from=1950 + i % 70, year_to=1950 + i % 70,
                               tonic_hz=100 + rng.random() * 200))
    Recording.objects.bulk_create(batch, batch_size=1000)
    secret = list(Recording.objects.order_by("?").values_list("pk", flat=True)[: n // 50])
    RecordingLabel.objects.bulk_create([RecordingLabel(recording_id=pk, label_id="tk_secret_sacred") for pk in secret],
                                       ignore_conflicts=True)
    return member, steward


def measure(client, url: str, repeat: int) -> dict:
    client.get(url)  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return _percentiles(samples)


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from archive.models import Recording

    # the rows below measure rendering, not archive/page_cache.py (the load row runs with it)
    settings.PAGE_CACHE_SECONDS = 0

    call_command("migrate", verbosity=0, interactive=False)
    n = int(os.environ.get("BENCH_RECORDINGS", "5000"))
    repeat = int(os.environ.get("BENCH_REPEAT", "40"))
    member, steward = build_catalogue(n)
    some = Recording.objects.filter(record_protocol="public", status="published").first()
    rows = []
    for who, user in (("anonymous", None), ("member", member), ("steward", steward)):
        client = Client()
        if user is not None:
            client.force_login(user)
        for name, url in (("recording list", "/api/recordings/"),
                          ("filtered list", "/api/recordings/?year_from=1970&year_to=1979&tonic_min=150"),
                          ("recording detail", f"/api/recordings/{some.pk}/"),
                          ("home page", "/")):
            rows.append({"benchmark": name, "user": who, **measure(client, url, repeat)})
    result = {"database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1], "recordings": n, "rows": rows}
    from bench.upload_memory import run as upload_memory

    env = {**os.environ, "SONGKEEPER_VAR": str(settings.VAR_DIR)}
    result["upload"] = upload_memory(int(os.environ.get("BENCH_UPLOAD_MB", "1024")), env)
    from bench.analysis import run as analysis_bench
    from bench.search import run as search_bench
    from bench.style import print_rows as print_style
    from bench.style import run as style_bench

    result["search"] = search_bench()
    result["analysis"] = analysis_bench()
    from bench.transcription import print_rows as print_transcription
    from bench.transcription import run as transcription_bench

    result["transcription"] = transcription_bench(int(os.environ.get("BENCH_SYNTHETIC", "30")))
    result["style_models"] = style_bench()
    from bench.preservation import print_rows as print_preservation
    from bench.preservation import run as preservation_bench

    result["preservation"] = preservation_bench()
    from bench.load import print_rows as print_load
    from bench.load import run as load_bench

    result["load"] = load_bench(users=int(os.environ.get("LOAD_USERS", "50")),
                                seconds=int(os.environ.get("LOAD_SECONDS", "60")))
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"catalogue reads, {n} recordings, {result['database']}")
    print(f"{'benchmark':<20} {'user':<10} {'p50 ms':>8} {'p95 ms':>8}")
    for row in rows:
        print(f"{row['benchmark']:<20} {row['user']:<10} {row['p50_ms']:>8} {row['p95_ms']:>8}")
    print(f"\nsearch ({result['database']}; targets: p95 under 100 ms for search and facets, 30 ms for similar "
          "on PostgreSQL)")
    print(f"{'catalogue':>9} {'implementation':<22} {'query':<40} {'user':<10} {'p50 ms':>8} {'p95 ms':>8}")
    for row in result["search"]:
        print(f"{row['catalogue']:>9} {row['implementation']:<22} {row['query']:<40} {row['user']:<10} "
              f"{row['p50_ms']:>8} {row['p95_ms']:>8}")
    up = result["upload"]
    print(f"\nupload of a {up['file_mb']} MB WAV through gunicorn: {up['seconds']} s, web process RSS "
          f"{up['baseline_rss_mb']} MB before, peak {up['peak_rss_mb']} MB (target under {up['target_peak_rss_mb']} MB)")
    speed, acc = result["analysis"]["speed"], result["analysis"]["accuracy"]
    ten = speed["ten_minutes"]
    print(f"\nanalysis of a 10-minute recording, one process: {ten['seconds']} s = {ten['real_time_factor']}x real time "
          f"(target {ten['target']}x)")
    if speed["long"]:
        lg = speed["long"]
        print(f"analysis of a {lg['minutes']}-minute recording: {lg['real_time_factor']}x real time, peak RSS "
              f"{lg['peak_rss_mb']} MB (the audio itself as float32: {lg['float32_audio_mb']} MB)")
    syn = acc["synthetic"]
    print(f"\naccuracy, {syn['recordings']} synthetic recordings (makam-like, quarter-tone, just, pelog-like scales; "
          "vibrato, noise, drones):")
    for key in ("tonic_within_25_cents", "tonic_median_error_cents", "raw_pitch_accuracy", "note_f_measure",
                "scale_degrees_found", "scale_degree_error_cents_median", "scale_degrees_within_10_cents"):
        print(f"  {key:<36} {syn[key]}")
    print("accuracy on real data:")
    for name, row in acc["real"].items():
        print(f"  {name:<36} {json.dumps(row, ensure_ascii=False)}")
    print_transcription(result["transcription"])
    print_style(result["style_models"])
    print_preservation(result["preservation"])
    print_load(result["load"])
    print(f"written to {out}")
    return 0


def main_with_redis() -> int:
    """The embedded Redis (when REDIS_URL is unset), as `make run` has: the shared cache holds the
    anonymous pages (archive/page_cache.py) and the job queue."""
    import django

    django.setup()
    from django.conf import settings

    from worker.embedded_redis import start_embedded_redis, stop_embedded_redis

    server = start_embedded_redis(settings.EMBEDDED_REDIS_SOCKET, settings.VAR_DIR / "redis-bench.db") \
        if settings.REDIS_EMBEDDED else None
    try:
        return main()
    finally:
        if server is not None:
            stop_embedded_redis(server)


if __name__ == "__main__":
    raise SystemExit(main_with_redis())
