"""The recording page with its analysis, in chromium: waveform player, pitch contour,
histogram with scale degrees, annotating by dragging a region, editing and deleting it,
and a #t= link that opens the player at that moment."""
import math
import re

import pytest
from playwright.sync_api import expect

from archive.models import Annotation
from archive.services.ingest import recording_attach_master
from tests import factories as f
from tests.audio.melody import write_melody
from tests.browser import wait_until
from tests.factories import api_client
from tests.test_jobs_worker import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def analysed_page(page, celery_worker, tmp_path):
    singer = f.make_user("singer")
    community = f.make_community(members=[singer], stewards=[f.make_user("elder")])
    recording = f.make_recording(community, record_protocol="public", media_protocol="public", title="Evening song")
    write_melody(tmp_path / "song.wav", 6, seconds=8.0, tonic_hz=220.0)
    _row, job = recording_attach_master(recording=recording, path=tmp_path / "song.wav", original_name="song.wav",
                                        user=singer)
    assert wait_for(job.pk).state == "succeeded"
    assert wait_for(job.analysis_job.pk, timeout=120).state == "succeeded"
    page.goto("/login/")
    page.fill("#id_username", "singer")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_have_text("singer")
    return page, recording


def test_player_shows_pitch_histogram_and_figures(analysed_page):
    page, recording = analysed_page
    page.goto(f"/recordings/{recording.pk}/")
    expect(page.locator("#listen")).to_have_class(re.compile("ready"), timeout=20000)
    expect(page.locator("#pitch-plot path.contour")).to_have_count(1)
    drawn = page.locator("#pitch-plot path.contour").get_attribute("d")
    assert len(drawn) > 200
    # only what the tracker believes: a stroke per run of voiced, confident frames inside the plot
    contour = api_client(None).get(f"/api/recordings/{recording.pk}/pitch/?max_points=1500").json()
    tonic = float(page.locator("#listen").get_attribute("data-tonic"))
    believed = [hz > 0 and conf > 0 and -600 <= 1200 * math.log2(hz / tonic) <= 1800
                for hz, conf in zip(contour["hz"], contour["confidence"], strict=True)]
    runs = sum(1 for i, ok in enumerate(believed) if ok and (i == 0 or not believed[i - 1]))
    assert drawn.count("M") == runs and drawn.count("L") == sum(believed) - runs
    from archive.models import Analysis

    degrees = Analysis.objects.get(recording=recording).summary["pitch_set"]
    assert len(degrees) >= 2
    expect(page.locator("#histogram line.degree")).to_have_count(len(degrees))
    expect(page.locator("#tonic")).to_contain_text("Hz")
    expect(page.locator("#histogram text.degree-label").first).to_have_text("0¢")


def test_members_annotate_by_dragging_then_edit_and_delete(analysed_page):
    page, recording = analysed_page
    page.goto(f"/recordings/{recording.pk}/")
    expect(page.locator("#listen")).to_have_class(re.compile("ready"), timeout=20000)
    expect(page.locator("#annotation-form")).to_be_hidden()  # until a region is dragged
    box = page.locator("#waveform").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.25, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=12)
    page.mouse.up()
    form = page.locator("#annotation-form")
    expect(form).to_be_visible()
    start = page.locator("#annotation-form [name=start]").input_value()
    page.fill("#annotation-form [name=start]", "abc")  # said in words, before anything is sent
    page.fill("#id_body", "x")
    page.click("text=Save annotation")
    expect(page.locator("#annotation-error")).to_have_text("Start and end are times in seconds, such as 12.5.")
    page.fill("#annotation-form [name=start]", start)
    page.fill("#id_body", "Ornament on the third degree")
    page.fill("#id_language", "eng")
    page.select_option("#id_protocol", "community")
    page.click("text=Save annotation")
    expect(page.locator(".annotations li .body")).to_have_text(["Ornament on the third degree"])
    annotation = Annotation.objects.get()
    assert annotation.start == pytest.approx(2.0, abs=0.5) and annotation.end == pytest.approx(4.0, abs=0.5)
    assert (annotation.protocol, annotation.language, annotation.author.username) == ("community", "eng", "singer")
    page.click(".annotations li [data-edit]")
    expect(form).to_be_visible()
    page.click("#annotation-form .cancel")  # Cancel closes the form, nothing changes
    expect(form).to_be_hidden()
    page.click(".annotations li [data-edit]")
    page.fill("#id_body", "A gamaka on the third degree")
    page.click("text=Save annotation")
    expect(page.locator(".annotations li .body")).to_have_text(["A gamaka on the third degree"])
    page.click(".annotations li [data-delete]")
    expect(page.locator(".annotations li")).to_have_count(0)
    assert not Annotation.objects.exists()


def test_a_t_link_opens_the_player_at_that_moment(analysed_page):
    page, recording = analysed_page
    page.goto(f"/recordings/{recording.pk}/#t=5.5")
    expect(page.locator("#listen")).to_have_class(re.compile("ready"), timeout=20000)
    wait_until(page, "window.songkeeperPlayer && window.songkeeperPlayer.getCurrentTime() > 5")
    assert page.evaluate("window.songkeeperPlayer.getCurrentTime()") == pytest.approx(5.5, abs=0.1)


def test_a_transcript_layer_scrolls_beside_the_waveform_and_plays_from_a_line(analysed_page):
    page, recording = analysed_page
    for i, words in enumerate(["first line", "second line", "third line"]):
        Annotation.objects.create(recording=recording, start=1.0 + 2 * i, end=2.5 + 2 * i, body=words, layer="lyrics")
    Annotation.objects.create(recording=recording, start=1.0, end=3.0, body="a gloss", layer="gloss")
    page.goto(f"/recordings/{recording.pk}/")
    expect(page.locator("#listen")).to_have_class(re.compile("ready"), timeout=20000)
    expect(page.locator("#transcript-layer option")).to_have_text(["gloss", "lyrics"])
    page.select_option("#transcript-layer", "lyrics")
    lines = page.locator("#transcript-lines li:visible")
    expect(lines).to_have_count(3)
    lines.nth(2).locator("a").click()
    wait_until(page, "Math.abs(window.songkeeperPlayer.getCurrentTime() - 5.0) < 0.05")
    expect(lines.nth(2)).to_have_class(re.compile("current"))
    expect(page.locator("#clock")).to_have_text("0:05")
    page.select_option("#transcript-layer", "gloss")
    expect(page.locator("#transcript-lines li:visible")).to_have_text(["1.0 a gloss"])


def test_the_practice_player_loops_slows_down_and_drones_on_the_recordings_tonic(analysed_page):
    """Learning by ear from the recording page: a stretch between two marks plays again and again,
    half speed keeps the pitch, the drone sounds the tonic the analysis found (an octave below
    too), with the recording's own fifth on request; and where the analysis found a pulse (here
    set at 90 BPM), "Count in and play" clicks a bar at the tempo before the recording starts."""
    from archive.models import Analysis

    page, recording = analysed_page
    Analysis.objects.filter(recording=recording).update(tempo_bpm=90.0)  # as if the analysis found a pulse
    page.goto(f"/recordings/{recording.pk}/")
    expect(page.locator("#listen")).to_have_class(re.compile("ready"), timeout=20000)
    practice = page.locator("#practice")
    expect(practice.locator("select.practice-speed")).to_be_visible()
    practice.locator("select.practice-speed").select_option("0.5")
    media = "window.songkeeperPlayer.getMediaElement()"
    assert page.evaluate(f"[{media}.playbackRate, {media}.preservesPitch]") == [0.5, True]
    page.evaluate(f"{media}.muted = true")
    page.click("#play")
    wait_until(page, f"{media}.currentTime > 0.4")
    practice.locator(".practice-loop-start").click()
    wait_until(page, f"{media}.currentTime > 1.2")
    practice.locator(".practice-loop-end").click()
    expect(practice.locator(".practice-loop")).to_contain_text("looping")
    start, end = page.evaluate("[document.getElementById('practice').practice.loopStart, "
                               "document.getElementById('practice').practice.loopEnd]")
    page.wait_for_timeout(3000)  # at half speed, long enough to come round the loop more than once
    now = page.evaluate(f"{media}.currentTime")
    assert start - 0.05 <= now <= end + 0.35, (start, end, now)
    practice.locator(".practice-drone").check()
    tonic = float(practice.get_attribute("data-tonic-hz"))
    drone = page.evaluate("document.getElementById('practice').practice.drone.map(o => o.frequency.value)")
    assert drone == pytest.approx([tonic / 2, tonic], rel=1e-3)
    if practice.get_attribute("data-fifth-cents"):
        practice.locator(".practice-fifth").check()
        assert len(page.evaluate("document.getElementById('practice').practice.drone")) == 3
    practice.locator(".practice-drone").uncheck()
    assert page.evaluate("document.getElementById('practice').practice.drone") is None
    page.click("#play")

    # "Count in and play": four beats at the tempo (slowed with the recording), then it plays
    page.evaluate(f"{media}.pause(); {media}.currentTime = 0")
    practice.locator(".practice-count-in").click()
    count = page.evaluate("document.getElementById('practice').practice.countIn")
    assert count["beats"] == 4 and count["beat"] == pytest.approx(60 / 90 / 0.5)
    assert page.evaluate(f"{media}.paused")  # still counting: the recording waits for the bar to end
    wait_until(page, f"!{media}.paused && {media}.currentTime > 0", timeout=10)
    assert not page.evaluate("document.getElementById('practice').practice.countingIn")
