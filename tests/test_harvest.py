"""Bringing recordings home: a second Songkeeper (its own database, Redis and gunicorn) is the
OAI-PMH and IIIF source. The harvest crosses resumption pages, stops when the source goes away and
resumes from its saved position, follows changes and deletions at the source, and what it
proposes waits for a steward: accepted (privately), merged (filling blanks only) or rejected
(never proposed again)."""
import hashlib
import uuid
from datetime import timedelta

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive.harvest.polite import Unreachable
from archive.models import HarvestCandidate, HarvestSource, PreservationEvent, Recording
from archive.services import harvest as services
from archive.services.errors import Conflict, NotAllowed, ServiceError
from tests import factories as f
from tests.source_archive import SOURCE_NAMESPACE, SourceArchive

pytestmark = pytest.mark.django_db

RECORDS = 240  # five pages of 50


@pytest.fixture
def source(tmp_path):
    archive = SourceArchive(tmp_path / "elsewhere", page_size=50)
    archive.migrate()
    archive.run("populate", RECORDS)
    archive.start()
    yield archive
    archive.stop()


@pytest.fixture
def home():
    steward, member = f.make_user("steward"), f.make_user("member")
    community = f.make_community(stewards=[steward], members=[member])
    tradition = f.make_tradition(community)
    return community, tradition, steward, member


@pytest.fixture
def quick_retries(settings):
    settings.HARVEST_RETRIES = 1
    settings.HARVEST_BACKOFF = 0.05


def _harvest(source_row, **kwargs):
    progress = []
    result = services.harvest_run(source=source_row, report=lambda p, m="": progress.append((p, m)), **kwargs)
    return result, progress


def _candidate(source_row, number: int) -> HarvestCandidate:
    return HarvestCandidate.objects.get(source=source_row, fields__title__endswith=f"Song {number:04d} of the far shore")


def test_a_harvest_crosses_pages_resumes_where_it_stopped_and_follows_the_source(source, home, quick_retries):
    community, tradition, steward, member = home
    row = services.harvest_source_create(community=community, user=steward, data={
        "name": "Far shore archive", "kind": "oai", "base_url": f"{source.url}/oai", "metadata_prefix": "olac"})

    # the source goes away after two pages: the harvest stops with its position saved
    def away_after_two_pages(progress, message=""):
        if HarvestSource.objects.get(pk=row.pk).position.get("pages") == 2:
            source.stop_web()

    with pytest.raises(Unreachable):
        services.harvest_run(source=row, report=away_after_two_pages)
    row.refresh_from_db()
    assert row.position["pages"] == 2 and row.position["token"], row.position
    assert HarvestCandidate.objects.filter(source=row).count() == 100
    assert row.last_completed is None

    source.start()  # back, on the same address: the harvest resumes from the third page
    client = services.polite_client()
    result, progress = _harvest(row, client=client)
    assert client.requests_sent == 3  # pages 3, 4 and 5 only
    assert result["pages"] == 5 and result["seen"] == RECORDS and result["new"] == RECORDS
    assert progress[-1][1] == f"{RECORDS} of {RECORDS} records"
    row.refresh_from_db()
    assert row.position == {} and row.last_completed is not None
    assert HarvestCandidate.objects.filter(source=row, state="proposed").count() == RECORDS
    assert not HarvestCandidate.objects.filter(fields__title="Kept to the community").exists()

    # OLAC's fields arrive mapped, with the record kept as it came
    first = _candidate(row, 1)
    assert first.fields["people"] == [{"name": "Sevdah Emina", "role": "performer"}]
    assert first.fields["languages"] == ["bos"] and first.fields["countries"] == ["BA"]
    assert first.fields["places"] == ["Sarajevo, BA"] and first.fields["date"] == "1961"
    assert first.licence == "CC BY 4.0" and first.url.startswith(source.url + "/recordings/")
    assert first.identifier.startswith("oai:elsewhere.example:") and "olac:olac" in first.raw

    # the steward decides three
    recording = services.candidate_accept(candidate=_candidate(row, 0), user=steward, tradition=tradition)
    assert recording.status == "draft" and recording.record_protocol == "community"
    assert recording.media_protocol == "community" and recording.training_consent == "not_allowed"
    assert list(recording.languages.values_list("code", flat=True)) == ["vie"]
    assert recording.place.country == "VN" and recording.credits.get().person.name == "Nguyễn Thị Lan"
    ingestion = recording.events.get(type=PreservationEvent.Type.INGESTION)
    assert _candidate(row, 0).identifier in ingestion.detail and "Far shore archive" in ingestion.detail
    services.candidate_reject(candidate=_candidate(row, 1), user=steward)
    own = f.make_recording(community, tradition, title="Our own name for it", description="In our words.")
    services.candidate_merge(candidate=_candidate(row, 2), recording=own, user=steward)
    own.refresh_from_db()
    assert own.title == "Our own name for it" and own.description == "In our words."  # the community's words stay
    assert own.date == "1962" and list(own.languages.values_list("code", flat=True)) == ["ell"]  # blanks filled
    assert "Song 0002 of the far shore" in own.alt_titles
    with pytest.raises(Conflict):
        services.candidate_reject(candidate=_candidate(row, 0), user=steward)

    # the source renames the first three songs and withdraws the last two; the next harvest follows
    source.run("retitle", "Renamed:", 3)
    source.run("withdraw", 2)
    result, _progress = _harvest(row)
    assert result["updated"] == 3 and result["deleted"] == 2 and result["new"] == 0
    accepted, rejected, merged = (_candidate(row, n) for n in (0, 1, 2))
    assert accepted.fields["title"].startswith("Renamed:") and accepted.source_changed
    recording.refresh_from_db()
    assert recording.title == "Song 0000 of the far shore"  # never overwritten
    assert rejected.state == "rejected" and not rejected.source_changed  # not proposed again
    assert merged.source_changed and merged.state == "merged"
    gone = HarvestCandidate.objects.filter(source=row, deleted_at_source=True)
    assert sorted(c.fields["title"] for c in gone) == ["Song 0238 of the far shore", "Song 0239 of the far shore"]
    assert HarvestCandidate.objects.filter(source=row).count() == RECORDS

    # a source bounded to the past: nothing changed there then, and that is an empty harvest
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    bounded = services.harvest_source_create(community=community, user=steward, data={
        "name": "Only the past", "kind": "oai", "base_url": f"{source.url}/oai", "metadata_prefix": "oai_dc",
        "harvest_from": "2000-01-01", "harvest_until": yesterday})
    result, _progress = _harvest(bounded)
    assert result["pages"] == 0 and result["new"] == 0
    bounded.refresh_from_db()
    assert bounded.last_started and bounded.last_completed and bounded.position == {}
    again, _progress = _harvest(bounded)  # after a run, the window is read whole again, never from > until
    assert again["pages"] == 0 and again["since"] == "2000-01-01"


def test_iiif_manifests_and_collections_become_candidates_and_bring_their_audio(source, home):
    community, tradition, steward, _member = home
    source.run("add_audio", 3, 4)
    collection = f"{source.url}/iiif/collections/{uuid.uuid5(SOURCE_NAMESPACE, 'collection')}"
    single = f"{source.url}/iiif/recordings/{uuid.uuid5(SOURCE_NAMESPACE, 'song-10')}/manifest"
    missing = f"{source.url}/iiif/recordings/{uuid.uuid4()}/manifest"
    row = services.harvest_source_create(community=community, user=steward, data={
        "name": "Museum", "kind": "iiif", "manifest_urls": [collection, single, f"{source.url}/oai", missing]})
    result, _progress = _harvest(row)
    assert result["new"] == 6 and result["seen"] == 6
    assert [s["url"] for s in result["skipped"]] == [f"{source.url}/oai"]
    song = HarvestCandidate.objects.get(source=row, identifier=single)
    assert song.fields["title"] == "Song 0010 of the far shore" and song.raw_format == "iiif"
    assert song.fields["date"] == "1970" and song.fields["places"] == ["Epirus, GR"]
    assert song.url.startswith(source.url) and '"type": "Manifest"' in song.raw and not song.media_url

    # the audio a manifest paints is fetched into the recording, checked like an upload
    open_song, closed_song = (HarvestCandidate.objects.get(source=row, fields__title=f"Song {n:04d} of the far shore")
                              for n in (3, 4))
    assert open_song.media_url == f"{source.url}/api/recordings/{uuid.uuid5(SOURCE_NAMESPACE, 'song-3')}/audio/"
    with pytest.raises(Conflict):  # nowhere to put it yet
        services.candidate_fetch_media(candidate=open_song, user=steward)
    for candidate in (open_song, closed_song):
        services.candidate_accept(candidate=candidate, user=steward, tradition=tradition)
        candidate.refresh_from_db()
    job = services.candidate_fetch_media(candidate=open_song, user=steward)
    assert job.kind == "harvest.fetch_media" and job.target_id == str(open_song.pk)
    fetched = services.media_fetch(candidate=open_song, user=steward, rights_confirmed=False)
    offered = requests.get(open_song.media_url, timeout=30).content
    assert fetched["sha256"] == hashlib.sha256(offered).hexdigest() and fetched["size"] == len(offered)
    master = open_song.recording.files.get(role="master")
    assert master.sha256 == fetched["sha256"] and master.duration > 1 and master.container == "ogg"
    ingestion = open_song.recording.events.filter(type=PreservationEvent.Type.INGESTION, detail__contains="fetched from")
    assert open_song.media_url in ingestion.get().detail and "open licence" in ingestion.get().detail

    with pytest.raises(ServiceError) as refused:  # "All rights reserved": the steward must vouch for it
        services.candidate_fetch_media(candidate=closed_song, user=steward)
    assert refused.value.field == "rights_confirmed"
    services.candidate_fetch_media(candidate=closed_song, user=steward, rights_confirmed=True)
    services.media_fetch(candidate=closed_song, user=steward, rights_confirmed=True)
    assert "the steward confirmed the community's right" in closed_song.recording.events.get(
        type=PreservationEvent.Type.INGESTION, detail__contains="fetched from").detail


def test_sources_and_decisions_refuse_what_they_cannot_take(home):
    community, tradition, steward, member = home
    for data, field in [({"name": "x", "kind": "oai", "base_url": "ftp://example.org/oai"}, "base_url"),
                        ({"name": "x", "kind": "oai", "base_url": "https://example.org/oai",
                          "metadata_prefix": "marc"}, "metadata_prefix"),
                        ({"name": "x", "kind": "iiif", "manifest_urls": []}, "manifest_urls"),
                        ({"name": "x", "kind": "csv"}, "kind"),
                        ({"name": "", "kind": "iiif", "manifest_urls": ["https://example.org/m"]}, "name"),
                        ({"name": "x", "kind": "oai", "base_url": "https://example.org/oai",
                          "harvest_from": "2024-13-01"}, "harvest_from"),
                        ({"name": "x", "kind": "oai", "base_url": "https://example.org/oai",
                          "harvest_from": "2024-02-01", "harvest_until": "2024-01-01"}, "harvest_until")]:
        with pytest.raises(ServiceError) as raised:
            services.harvest_source_create(community=community, user=steward, data=data)
        assert raised.value.field == field
    with pytest.raises(NotAllowed):
        services.harvest_source_create(community=community, user=member, data={
            "name": "x", "kind": "iiif", "manifest_urls": ["https://example.org/m"]})
    assert not HarvestSource.objects.exists()
    row = services.harvest_source_create(community=community, user=steward, data={
        "name": "x", "kind": "iiif", "manifest_urls": ["https://example.org/m"]})
    services.harvest_start(source=row, user=steward)
    with pytest.raises(Conflict):  # one harvest at a time per source
        services.harvest_start(source=row, user=steward)


def _seed_candidate(community, **fields) -> HarvestCandidate:
    row = HarvestSource.objects.create(community=community, name=f"src {uuid.uuid4()}", kind="iiif",
                                       manifest_urls=["https://example.org/m"])
    return HarvestCandidate.objects.create(source=row, identifier=f"https://example.org/{uuid.uuid4()}",
                                           fields={"title": "Secret song of the hills", **fields}, raw="{}",
                                           raw_format="iiif", checksum="0")


def test_only_the_communitys_stewards_see_its_sources_and_candidates(home):
    from tests.oracle import may_see_candidate

    community, tradition, steward, member = home
    other_steward = f.make_user("other")
    f.make_community(stewards=[other_steward])
    staff, registered = f.make_user("staff", staff=True), f.make_user("registered")
    candidate = _seed_candidate(community)
    for user in (None, registered, member, other_steward, steward, staff):
        api = f.api_client(user)
        allowed = may_see_candidate(user, candidate)
        detail = api.get(f"/api/candidates/{candidate.pk}/")
        assert detail.status_code == (200 if allowed else 401 if user is None else 404), (user, detail.status_code)
        if user is not None:
            listed = api.get("/api/candidates/").json()
            assert (listed["count"] == 1) == allowed
            assert (api.get(f"/api/harvest-sources/{candidate.source_id}/").status_code == 200) == allowed
            accept = api.post(f"/api/candidates/{candidate.pk}/reject/")
            assert accept.status_code == (200 if allowed and user in (steward,) else 404 if not allowed else 409)
            browser = Client()
            browser.force_login(user)
            page = browser.get(reverse("review-queue", args=[candidate.source_id]))
            assert page.status_code == (200 if allowed else 404)
        # a candidate is not a recording: search finds it for no one
        assert api.get("/api/search/", {"q": "secret song hills"}).json()["count"] == 0
    assert not Recording.objects.filter(title__icontains="secret song").exists()


def test_the_api_harvests_and_decides_with_clear_errors(home):
    community, tradition, steward, member = home
    api = f.api_client(steward)
    bad = api.post("/api/harvest-sources/", {"community": str(community.pk), "name": "x", "kind": "oai",
                                             "base_url": "https://example.org/oai", "metadata_prefix": "marc"},
                   format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    candidate = _seed_candidate(community, people=[{"name": "A singer", "role": "performer"}], languages=["vie"])
    early = api.post(f"/api/candidates/{candidate.pk}/fetch-media/", {}, format="json")
    assert early.status_code == 409 and "accept or merge" in early.json()["detail"]
    missing = api.post(f"/api/candidates/{candidate.pk}/accept/", {}, format="json")
    assert missing.status_code == 400 and "tradition" in missing.json()["fields"]
    assert not Recording.objects.exists()
    done = api.post(f"/api/candidates/{candidate.pk}/accept/",
                    {"tradition": str(tradition.pk), "labels": ["tk_attribution"], "record_protocol": "stewards",
                     "media_protocol": "stewards"}, format="json")
    assert done.status_code == 201 and done.json()["state"] == "accepted"
    recording = Recording.objects.get(pk=done.json()["recording"])
    assert recording.record_protocol == "stewards" and list(recording.labels.values_list("code", flat=True)) == [
        "tk_attribution"]
    again = api.post(f"/api/candidates/{candidate.pk}/accept/", {"tradition": str(tradition.pk)}, format="json")
    assert again.status_code == 409
    no_audio = api.post(f"/api/candidates/{candidate.pk}/fetch-media/", {"rights_confirmed": "maybe"}, format="json")
    assert no_audio.status_code == 400 and "rights_confirmed" in no_audio.json()["fields"]
    no_audio = api.post(f"/api/candidates/{candidate.pk}/fetch-media/", {}, format="json")
    assert no_audio.status_code == 400 and "offers no audio" in no_audio.json()["detail"]
    changed = api.get("/api/candidates/", {"state": "nonsense"})
    assert changed.status_code == 400
