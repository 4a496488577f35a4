"""The educator's pages in chromium: train a style model of a tradition, watch it train,
set constraints, generate, and get each example as a score, a player and downloads with
the credits of the community it learned from, with the tradition's sargam under the staff; then a
practice set, graded, played in order (the
next example starts by itself) and taken away as one bundle; and a variation on a passage looped on
a source recording's player."""
import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from archive.services.ingest import recording_attach_master
from generation.models import StudyExample
from tests import factories as f
from tests.audio.melody import write_melody
from tests.browser import wait_until
from tests.test_jobs_worker import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


def test_an_educator_trains_generates_and_downloads(page, celery_worker, tmp_path, console_errors):
    steward = f.make_user("steward")
    f.make_user("educator")
    community = f.make_community(stewards=[steward], name="Lake singers")
    tradition = f.make_tradition(community, name="Lake songs")
    tradition.notation = {"system": "sargam"}  # the tradition reads sargam: its examples carry it under the staff
    tradition.save()
    for seed in (21, 22):
        recording = f.make_recording(community, tradition, training_consent="allowed", labels=["tk_non_commercial"])
        path = tmp_path / f"song-{seed}.wav"
        write_melody(path, seed, scale="just-major", seconds=10.0, tonic_hz=200.0)
        _row, job = recording_attach_master(recording=recording, path=path, original_name=path.name, user=steward)
        assert wait_for(job.analysis_job.pk, timeout=120).state == "succeeded"

    page.goto("/study/")
    expect(page.locator(f".tradition[data-slug='{tradition.slug}'] .train")).to_have_count(0)  # signed out: no training
    page.goto("/login/?next=/study/")
    page.fill("#id_username", "educator")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    card = page.locator(f".tradition[data-slug='{tradition.slug}']")
    expect(card.locator(".trainable")).to_have_text("2")
    card.locator("button.train").click()
    expect(page.locator("#train-stage")).to_contain_text(re.compile(r"Reading|Measuring|Learning|Choosing|Listening"))
    expect(page.locator("#model-status")).to_have_text("ready", timeout=300000)
    page.wait_for_load_state()  # the reloaded page's scripts have run before its form is used
    expect(page.locator("table.metrics:not(#fidelity) tr")).to_have_count(5)  # header + unigram, order 1, PPM, transformer
    expect(page.locator("table.metrics tr.chosen")).to_have_count(1)
    expect(page.locator("#fidelity tr")).to_have_count(5)  # header + ceiling, default, unconstrained, 12-TET floor
    expect(page.locator("#fidelity-verdict")).to_be_visible()
    expect(page.locator("select[name=difficulty]")).to_have_value("tradition")  # adds no limit the corpus lacks
    expect(page.locator(".credits")).to_contain_text("Lake singers")

    page.fill("input[name=range_low]", "900")
    page.fill("input[name=range_high]", "100")
    page.click("#generate button[type=submit]")
    expect(page.locator("#generate-error")).to_contain_text("range")
    console_errors.clear()  # the refused request's 400 is logged by the browser

    page.fill("input[name=range_low]", "-500")
    page.fill("input[name=range_high]", "1400")
    page.fill("input[name=count]", "1")
    page.fill("input[name=length_notes]", "12")
    page.click("#generate button[type=submit]")
    example = page.locator("#examples li.example")
    expect(example).to_have_count(1, timeout=60000)
    expect(page.locator("#generate-message")).to_contain_text("1 example(s) ready")
    expect(example.locator("h3")).to_contain_text("12 notes")
    score = example.locator("img.score")
    expect(score).to_be_visible()
    wait_until(page, "document.querySelector('img.score').complete")
    assert score.evaluate("img => img.naturalWidth") > 100
    engraved = page.request.get(score.get_attribute("src")).text()
    assert any(f">{name}<" in engraved for name in ("Sa", "Re", "Ga", "ma", "Pa", "Dha", "Ni")), "no sargam"
    expect(example.locator("audio")).to_have_attribute("src", re.compile(r"/api/examples/.+/audio/"))
    example.locator("select.practice-speed").select_option("0.5")  # the practice player, under each example too
    assert example.locator("audio").evaluate("a => [a.playbackRate, a.preservesPitch]") == [0.5, True]
    expect(example.locator(".provenance")).to_contain_text("Lake singers")
    expect(example.locator(".labels")).to_contain_text("TK Non-Commercial")  # by name, not by code
    href = example.locator("a.download-musicxml").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and b"<score-partwise" in response.body()
    assert "attachment" in response.headers["content-disposition"]

    # a practice set from the same model: graded, played in order, taken away as one bundle
    page.goto(page.url.split("#")[0])
    form = page.locator("#practice-set")
    form.locator("input[name=title]").fill("Lake, first steps")
    form.locator("textarea[name=note]").fill("Hum each one before you sing it.")
    form.locator("input[name=count]").fill("4")
    form.locator("input[name=length_notes]").fill("12")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Lake, first steps")
    for _ in range(120):  # the worker makes the set; the page says how far it is
        if page.locator("#play-in-order").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator(".teacher-note")).to_contain_text("Hum each one")
    items = page.locator("li.practice-example")
    expect(items).to_have_count(4)
    expect(items.locator("h2")).to_have_text(["1. 8 notes", "2. 9 notes", "3. 11 notes", "4. 12 notes"])
    page.evaluate("document.querySelectorAll('#set-examples audio').forEach(a => { a.muted = true; })")
    page.click("#play-in-order")
    expect(items.nth(0)).to_have_class(re.compile("playing"))
    wait_until(page, "document.querySelectorAll('#set-examples audio')[0].currentTime > 0.2", timeout=20)
    first_seconds = page.evaluate("document.querySelectorAll('#set-examples audio')[0].duration")
    expect(items.nth(1)).to_have_class(re.compile("playing"), timeout=int((first_seconds + 10) * 1000))  # by itself
    expect(items.nth(0)).not_to_have_class(re.compile("playing"))
    page.click("#play-in-order")
    expect(page.locator("li.practice-example.playing")).to_have_count(0)
    first = items.nth(0).locator(".practice-player")  # the practice player: slower, same pitch; the drone
    first.locator("select.practice-speed").select_option("0.5")
    assert page.evaluate("[document.getElementById('audio-0').playbackRate, "
                         "document.getElementById('audio-0').preservesPitch]") == [0.5, True]
    first.locator(".practice-drone").check()
    tonic = float(first.get_attribute("data-tonic-hz"))
    drone = page.evaluate("document.querySelector('#example-0 .practice-player').practice.drone"
                          ".map(o => o.frequency.value)")
    assert drone == [pytest.approx(tonic / 2), pytest.approx(tonic)]
    first.locator(".practice-drone").uncheck()
    with page.expect_download() as download:
        page.click("#bundle")
    bundle = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    assert {"scores.pdf", "README.txt", "01-example.ogg", "04-example.musicxml"} <= set(bundle.namelist())

    # a variation on a real passage, chosen with the practice player's loop on a source recording
    page.goto(f"/recordings/{recording.pk}/")
    expect(page.locator("#listen")).to_have_class(re.compile("ready"), timeout=20000)
    practice = page.locator("#practice")
    media = "window.songkeeperPlayer.getMediaElement()"
    page.evaluate(f"{media}.muted = true")
    page.click("#play")
    wait_until(page, f"{media}.currentTime > 0.2")
    practice.locator(".practice-loop-start").click()
    wait_until(page, f"{media}.currentTime > 4.0", timeout=30)
    practice.locator(".practice-loop-end").click()
    page.click("#play")
    with page.expect_navigation():
        practice.locator("a.practice-vary").click()
    expect(page.locator("h1")).to_have_text("Vary a passage")
    looped = float(page.input_value("#vary input[name=start]")), float(page.input_value("#vary input[name=end]"))
    assert looped[0] < 1.0 < 4.0 <= looped[1]  # the loop's marks
    chips = page.locator("#vary .learned-notes:visible .note-chip")  # or the span, on the notes it learned
    assert chips.count() >= 6
    chips.nth(4).click()
    chips.nth(1).click()  # the last note first, then the first: either order
    chosen = (float(chips.nth(1).get_attribute("data-start")), float(chips.nth(4).get_attribute("data-end")))
    assert (float(page.input_value("#vary input[name=start]")), float(page.input_value("#vary input[name=end]"))) \
        == pytest.approx(chosen)
    expect(page.locator("#vary .note-chip.in-passage")).to_have_count(4)
    page.fill("#vary input[name=count]", "1")
    with page.expect_navigation():
        page.click("#vary button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The variations are being made")
    varied = page.locator("#examples li.example", has_text="A variation on")
    expect(varied).to_have_count(1, timeout=60000)
    example = StudyExample.objects.get(provenance__source_passage__recording=str(recording.pk))
    told = example.provenance["source_passage"]
    assert (told["start"], told["end"]) == pytest.approx(chosen, abs=1e-3) and told["notes"] >= 4
    assert "tk_non_commercial" in example.labels
