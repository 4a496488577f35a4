"""The note editor on a real recording (vocadito: a child singing, from ../shared/data), analysed
by the worker, in chromium: a member merges a split note and moves a note heard on the wrong
degree, saves, reloads and sees the corrected notes; a style model trained afterwards names that
version in its manifest. And on a phone in Arabic: notes are chosen, played and deleted, and the
roll's time still runs left to right."""
import re
import shutil

import pytest
from playwright.sync_api import expect

from archive.models import Transcription
from archive.services.ingest import recording_attach_master
from generation.services.training import style_model_create
from tests import factories as f
from tests.browser import sign_in
from tests.shared_data import shared_data
from tests.test_jobs_worker import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def sung(celery_worker, tmp_path):
    singer = f.make_user("singer")
    community = f.make_community(members=[singer], stewards=[f.make_user("elder")], name="Children's songs")
    tradition = f.make_tradition(community, name="Playground songs")
    recording = f.make_recording(community, tradition, record_protocol="public", media_protocol="public",
                                 title="Ako ay may lobo", training_consent="allowed")
    path = tmp_path / "vocadito_1.wav"
    shutil.copy(shared_data("audio", "vocadito", "Audio", "vocadito_1.wav"), path)
    _row, job = recording_attach_master(recording=recording, path=path, original_name=path.name, user=singer)
    assert wait_for(job.pk).state == "succeeded"
    assert wait_for(job.analysis_job.pk, timeout=120).state == "succeeded"
    return singer, recording, tradition




def _count(page) -> int:
    return int(page.locator("#note-count").inner_text())


def test_a_member_corrects_a_split_note_and_a_wrong_degree(page, sung):
    singer, recording, tradition = sung
    sign_in(page, "singer")
    page.goto(f"/recordings/{recording.pk}/")
    editor = page.locator("#notes-editor")
    expect(editor.locator("#notes-in-use")).to_have_text("In use: the automatic transcription.")
    expect(editor.locator("rect.note").first).to_be_visible()
    expect(editor.locator("polygon.waveform")).to_have_count(1)  # the notes over the waveform and the contour
    expect(editor.locator("polyline.contour")).to_have_count(1)
    before = _count(page)
    assert before > 40
    roll = page.locator("#roll")
    roll.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # the third note
    expect(roll.locator("rect.note.selected")).to_have_count(1)
    editor.locator("[data-action=merge]").click()  # the third and fourth were one held note
    assert _count(page) == before - 1
    page.keyboard.press("ArrowRight")
    heard = float(page.locator("#note-cents").input_value())
    page.keyboard.press("ArrowUp")  # heard a degree too low
    moved = float(page.locator("#note-cents").input_value())
    lines = [float(v) for v in editor.get_attribute("data-degrees").strip("[]").split(",")]
    assert moved > heard and any(abs((moved - d) % 1200) < 0.5 or abs((moved - d) % 1200 - 1200) < 0.5 for d in lines)
    page.keyboard.press("Control+z")  # undo, then again
    assert float(page.locator("#note-cents").input_value()) == pytest.approx(heard, abs=0.1)
    page.keyboard.press("ArrowUp")
    page.fill("#notes-comment", "one held note; the fifth is higher")
    editor.locator("[data-action=save]").click()
    expect(editor.locator("#notes-status")).to_have_text("Saved as version 1.")
    page.reload()
    expect(editor.locator("#notes-in-use")).to_have_text("In use: version 1, corrected by people.")
    expect(editor.locator("#notes-version option").first).to_contain_text("version 1 · 20")  # and when
    expect(page.locator("#note-count")).to_have_text(str(before - 1))
    roll.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert float(page.locator("#note-cents").input_value()) == pytest.approx(moved, abs=0.1)
    model = style_model_create(user=singer, tradition=tradition)  # trained on the worker
    assert wait_for(model.job_id, timeout=240).state == "succeeded"
    model.refresh_from_db()
    source = model.manifest["recordings"][0]
    assert model.status == "ready" and source["transcription"]["number"] == 1
    saved = Transcription.objects.get(recording=recording, number=1)
    assert source["transcription"]["source"] == "corrected" and source["notes_sha256"] == saved.sha256


def test_the_editor_on_a_phone_in_arabic(browser, live_server, sung):
    _singer, recording, _tradition = sung
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="ar",
                                  has_touch=True, is_mobile=True)
    page = context.new_page()
    sign_in(page, "singer")
    page.goto(f"/recordings/{recording.pk}/")
    page.select_option("#language", "ar")
    with page.expect_navigation():
        page.click("form.language [type=submit]")
    assert page.locator("html").get_attribute("dir") == "rtl"
    editor = page.locator("#notes-editor")
    expect(editor.locator("rect.note").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert editor.locator(".roll").evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert re.search("[\u0600-\u06ff]", editor.locator("#notes-in-use").inner_text())
    before = _count(page)
    editor.locator("[data-action=next]").tap()
    editor.locator("[data-action=play]").tap()
    editor.locator("[data-action=remove]").tap()
    assert _count(page) == before - 1
    editor.locator("[data-action=save]").tap()
    expect(editor.locator("#notes-status")).to_contain_text("1")
    assert re.search("[\u0600-\u06ff]", editor.locator("#notes-status").inner_text())
    context.close()
