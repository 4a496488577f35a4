"""A community's decision holds on the very next request, whatever else is down (real processes:
gunicorn with the anonymous page cache on, a Redis of the test's own that keeps its data on disk as
production Redis does). Redis is shut down (saving), a steward withdraws a recording, Redis comes
back *with* its data: the next anonymous search, search page, recording page, similar list, IIIF
manifest, collection manifest and OAI answer no longer show it. The same after writes that bypass
the services: raw SQL (as psql or another program would) and a direct save (as the admin does);
and a recording a bulk CSV ingest adds is found at once."""
import csv
import re

import pytest
import redis
import requests
from django.db import connection

from archive.analysis import ANALYSER, VERSION
from archive.analysis.features import DIMENSIONS
from archive.models import Analysis, Collection, Recording
from archive.services.bulk_ingest import ingest_manifest
from archive.services.recordings import recording_withdraw
from tests import factories as f
from tests.audio import synth
from tests.processes import RedisServer, database_url, start_web, stop, subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)


def _analysed(community, tradition, collection, title, seed):
    recording = f.make_recording(community, tradition, title=title, collection=collection)
    vector = [1.0 + 0.01 * seed * (i % 3) for i in range(DIMENSIONS)]
    Analysis.objects.create(recording=recording, analyser=ANALYSER, version=VERSION, status="ok", features=vector)
    return recording


def _pk_sql(recording):
    return recording.pk.hex if connection.vendor == "sqlite" else recording.pk


class Anonymous:
    """What an anonymous visitor meets at each address, asked twice so that the page cache holds it."""

    def __init__(self, base: str, recordings: list, collection, probe):
        self.base, self.recordings, self.collection, self.probe = base, recordings, collection, probe

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.base}{path}", timeout=60)

    def sees(self, recording) -> dict:
        """Where ``recording`` shows, address by address."""
        rid = str(recording.pk)
        found = self.get("/api/search/?q=ferry").json()
        page = self.get("/search/?q=ferry").text
        similar = self.get(f"/api/recordings/{self.probe.pk}/similar/?limit=10")
        collection = self.get(f"/iiif/collections/{self.collection.pk}").json()
        oai = self.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").text
        header = re.search(rf'<header( status="deleted")?>\s*<identifier>oai:[^<]*:{rid}</identifier>', oai)
        return {
            "search": any(hit["recording"]["id"] == rid for hit in found["results"]),
            "search page": recording.title in page,
            "recording page": self.get(f"/recordings/{rid}/").status_code == 200,
            "similar": rid in similar.text,
            "manifest": self.get(f"/iiif/recordings/{rid}/manifest").status_code == 200,
            "collection": rid in str(collection),
            "oai": bool(header) and header.group(1) is None,
        }


def test_a_withdrawal_holds_everywhere_at_once_after_redis_comes_back_with_its_data(tmp_path):
    steward = f.make_user("fresh-steward")
    community = f.make_community(stewards=[steward])
    tradition = f.make_tradition(community)
    collection = Collection.objects.create(community=community, title="Ferry songs")
    probe = _analysed(community, tradition, collection, "Ferry song of the morning", 1)
    withdrawn = _analysed(community, tradition, collection, "Ferry song of the river", 2)
    by_sql = _analysed(community, tradition, collection, "Ferry song of the night", 3)
    by_save = _analysed(community, tradition, collection, "Ferry song of the harbour", 4)

    cache = RedisServer(tmp_path / "redis", persistent=True).start()
    env = subprocess_env(database_url(), cache.url, SONGKEEPER_PAGE_CACHE_SECONDS="3600",
                         SONGKEEPER_SEARCH_SNAPSHOT="sync")
    web = None
    try:
        web, port = start_web(env, tmp_path / "web.log", threads=2)
        visitor = Anonymous(f"http://127.0.0.1:{port}", [probe, withdrawn, by_sql, by_save], collection, probe)
        everywhere = {k: True for k in ("search", "search page", "recording page", "similar", "manifest",
                                        "collection", "oai")}
        for _ in range(2):  # the second time from the page cache
            assert visitor.sees(withdrawn) == everywhere
        assert visitor.get("/api/search/?q=ferry").headers.get("X-Page-Cache") == "hit"

        cache.shutdown()  # saves its data, pages included
        recording_withdraw(recording=withdrawn, user=steward, reason="the family asked")
        assert not any(visitor.sees(withdrawn).values())  # while Redis is down: rendered afresh

        cache.start()  # back with its data
        assert redis.Redis.from_url(cache.url).dbsize() > 0, "Redis came back without its data"
        nowhere = dict.fromkeys(everywhere, False)
        assert visitor.sees(withdrawn) == nowhere
        assert visitor.sees(probe)["search"] and visitor.sees(probe)["oai"]
        oai = visitor.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").text
        assert re.search(rf'<header status="deleted">\s*<identifier>oai:[^<]*:{withdrawn.pk}<', oai)

        for recording in (by_sql, by_save):
            assert visitor.sees(recording) == everywhere  # cached again
        with connection.cursor() as cursor:  # as psql or another program would
            cursor.execute("UPDATE archive_recording SET record_protocol = 'stewards', media_protocol = 'stewards' "
                           "WHERE id = %s", [_pk_sql(by_sql)])
        assert visitor.sees(by_sql) == nowhere
        row = Recording.objects.get(pk=by_save.pk)  # as the admin's change form saves
        row.status = Recording.Status.DRAFT
        row.save()
        assert visitor.sees(by_save) == nowhere
        assert visitor.sees(probe)["search"]

        # a bulk CSV ingest (the service the worker runs) adds a public recording: found at once
        synth.write(tmp_path / "bridge.wav", seconds=1.0)
        manifest = tmp_path / "manifest.csv"
        with open(manifest, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["file", "title", "tradition", "community", "collection",
                                                        "status", "record_protocol", "media_protocol"])
            writer.writeheader()
            writer.writerow({"file": "bridge.wav", "title": "Ferry song of the bridge", "tradition": tradition.slug,
                             "community": community.slug, "collection": collection.title, "status": "published",
                             "record_protocol": "public", "media_protocol": "public"})
        report = ingest_manifest(directory=tmp_path, manifest=manifest, user=steward)
        assert len(report.added) == 1, report.as_dict()
        ingested = Recording.objects.get(title="Ferry song of the bridge")
        found = visitor.sees(ingested)
        assert found["search"] and found["search page"] and found["collection"] and found["oai"]
    finally:
        stop(web)
        cache.stop()
