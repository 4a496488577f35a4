"""The review queue in chromium, with a real worker and another Songkeeper to harvest from: a
steward adds the source from the dashboard, harvests it, and decides what came: one accepted as a
private draft, one rejected; the queue says what is left; the accepted one's audio is fetched by the
worker once the steward vouches for the community's right to it."""
import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from archive.models import HarvestCandidate, Recording
from tests import factories as f
from tests.browser import sign_in
from tests.source_archive import SOURCE_NAMESPACE, SourceArchive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def source(tmp_path):
    archive = SourceArchive(tmp_path / "elsewhere", page_size=10)
    archive.migrate()
    archive.run("populate", 25)
    archive.run("add_audio", 0)
    archive.start()
    yield archive
    archive.stop()


def _wait_for_harvest(page):
    for _ in range(60):
        if page.locator("#harvest-state").inner_text() == "succeeded":
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator("#harvest-state")).to_have_text("succeeded")


def test_a_steward_harvests_a_source_and_decides_from_the_queue(page, source, celery_worker):
    steward = f.make_user("river-steward")
    community = f.make_community(stewards=[steward], name="River singers")
    f.make_tradition(community, name="River songs")
    sign_in(page, "river-steward")
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.click("text=Bring recordings home from other archives")
    page.fill("input[name=name]", "Far shore archive")
    page.fill("input[name=base_url]", "not a url")
    page.evaluate("document.querySelector('#add-source').noValidate = true")
    with page.expect_navigation():
        page.click("text=Add the source")
    expect(page.locator(".messages")).to_contain_text("is not an http(s) address")
    page.fill("input[name=base_url]", f"{source.url}/oai")
    with page.expect_navigation():
        page.click("text=Add the source")
    expect(page.locator(".messages")).to_contain_text("The source was added")
    with page.expect_navigation():
        page.click("#harvest-now")
    expect(page.locator(".messages")).to_contain_text("The harvest has started")
    _wait_for_harvest(page)  # the worker harvests three pages; the page shows where it is
    expect(page.locator("article.candidate")).to_have_count(25)

    first = page.locator("article.candidate", has_text="Song 0000 of the far shore")
    expect(first).to_contain_text("Nguyễn Thị Lan (performer)")
    first.locator("select[name=record_protocol]").select_option("registered")
    with page.expect_navigation():
        first.locator("text=Accept as a new recording").click()
    expect(page.locator(".messages")).to_contain_text("is now a draft recording of the community")
    second = page.locator("article.candidate", has_text="Song 0001 of the far shore")
    with page.expect_navigation():
        second.locator("form.reject button").click()
    expect(page.locator(".messages")).to_contain_text("Rejected.")
    expect(page.locator("article.candidate")).to_have_count(23)
    with page.expect_navigation():
        page.click("nav.tabs >> text=Accepted")
    expect(page.locator("article.candidate")).to_have_count(1)
    recording = Recording.objects.get(title="Song 0000 of the far shore")
    assert recording.status == "draft" and recording.record_protocol == "registered"
    assert recording.media_protocol == "community"  # not chosen: the default, never public
    assert HarvestCandidate.objects.get(recording=recording).state == "accepted"

    # a museum's IIIF manifest of the same song: merged with the recording, then its audio fetched
    page.goto(f"/dashboard/communities/{community.pk}/sources/")
    page.fill("input[name=name]", "Museum")
    page.check("input[name=kind][value=iiif]")
    page.fill("textarea[name=manifest_urls]", f"{source.url}/iiif/recordings/{uuid.uuid5(SOURCE_NAMESPACE, 'song-0')}/manifest")
    with page.expect_navigation():
        page.click("text=Add the source")
    with page.expect_navigation():
        page.click("#harvest-now")
    _wait_for_harvest(page)
    museum = page.locator("article.candidate")
    expect(museum).to_have_count(1)
    museum.locator("input[name=recording]").fill(str(recording.pk))
    with page.expect_navigation():
        museum.locator("form.merge button").click()
    expect(page.locator(".messages")).to_contain_text("only its empty fields were filled")
    with page.expect_navigation():
        page.click("nav.tabs >> text=Merged")
    with page.expect_navigation():
        page.click("text=Fetch the audio into the recording")
    expect(page.locator(".messages")).to_contain_text("does not let the archive copy the audio")
    page.check("input[name=rights_confirmed]")
    with page.expect_navigation():
        page.click("text=Fetch the audio into the recording")
    expect(page.locator(".messages")).to_contain_text("The audio is being copied from the source")
    deadline = time.monotonic() + 60
    while not recording.files.filter(role="master").exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert recording.files.get(role="master").container == "ogg"
    assert "the steward confirmed" in recording.events.get(type="ingestion", detail__contains="fetched from").detail
    while not recording.files.filter(role="access").exists() and time.monotonic() < deadline:
        time.sleep(0.5)  # the worker derives the access copy the recording page plays
    with page.expect_navigation():
        page.locator("article.candidate a", has_text=re.compile("Song 0000")).click()
    expect(page.locator("h1")).to_contain_text("Song 0000 of the far shore")
    assert recording.files.filter(role="access").exists()
