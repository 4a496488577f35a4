"""The recording's IIIF manifest played in a real IIIF AV viewer (Clover's web component,
vendored under static/vendor) in chromium: the viewer reads the manifest from /iiif/, finds the
audio painting annotation and plays our access copy, and its Annotations tab lists the recording's
annotations (the vendored bundle is patched for that: see its PATCHES.md); a hidden recording has
no viewer page."""
import pytest
from playwright.sync_api import expect

from archive.models import Annotation
from archive.services.derivatives import recording_derive
from archive.services.ingest import recording_attach_master
from tests import factories as f
from tests.audio import synth
from tests.browser import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def public_song(tmp_path, title: str):
    """A public recording with a 4-second master and its access copy, and its community's steward."""
    steward = f.make_user()
    community = f.make_community(stewards=[steward])
    song = f.make_recording(community, title=title, record_protocol="public", media_protocol="public")
    recording_attach_master(recording=song, path=synth.write(tmp_path / "a.wav", seconds=4.0), original_name="a.wav",
                            user=steward)
    recording_derive(recording=song)
    return steward, community, song


def test_clover_plays_the_manifest_audio(page, tmp_path, console_errors):
    _steward, community, song = public_song(tmp_path, "Harbour song")
    hidden = f.make_recording(community, title="Stewards only", record_protocol="stewards")

    page.goto(f"/iiif/recordings/{song.pk}/viewer")
    media = page.locator("clover-viewer audio, clover-viewer video, audio, video").first
    expect(media).to_be_attached(timeout=20000)
    wait_until(page, """() => {
        const el = document.querySelector('clover-viewer audio, clover-viewer video, audio, video');
        return el && el.currentSrc && el.currentSrc.includes('/audio/') && el.readyState >= 1;
    }""", timeout=20)
    duration = page.evaluate("""async () => {
        const el = document.querySelector('clover-viewer audio, clover-viewer video, audio, video');
        el.muted = true;
        await el.play();
        await new Promise(resolve => setTimeout(resolve, 700));
        return {duration: el.duration, time: el.currentTime};
    }""")
    assert abs(duration["duration"] - 4.0) < 0.3 and duration["time"] > 0.2  # it plays the 4-second copy
    expect(page.get_by_text("Harbour song").first).to_be_visible()

    assert page.goto(f"/iiif/recordings/{hidden.pk}/viewer").status == 404
    assert console_errors == ["console: Failed to load resource: the server responded with a status of 404 (Not Found)"]
    console_errors.clear()  # that 404 was the point


def test_the_viewers_annotations_tab_lists_the_recordings_annotations(page, tmp_path):
    steward, _community, song = public_song(tmp_path, "Net-mending song")
    Annotation.objects.create(recording=song, author=steward, start=0.5, end=1.5, body="The refrain begins")
    Annotation.objects.create(recording=song, author=steward, start=1.0, end=2.0, body="Ferry on the water",
                              layer="lyrics", language="eng")

    page.goto(f"/iiif/recordings/{song.pk}/viewer")
    tab = page.get_by_role("tab", name="Annotations")
    expect(tab).to_be_visible(timeout=20000)
    tab.click()
    expect(page.get_by_text("The refrain begins")).to_be_visible()
    expect(page.get_by_text("Ferry on the water").first).to_be_visible()  # a transcript layer (and its captions)
    expect(page.get_by_text("Something went wrong")).to_have_count(0)
    assert tab.evaluate("el => getComputedStyle(el).color") != "rgb(255, 255, 255)"  # readable on its light tab
