"""The upload page in a real browser: tus-js-client sends the file in pieces with a
progress bar, and an interrupted upload resumes after a page reload."""
import hashlib

import pytest
from playwright.sync_api import expect

from archive.models import RecordingFile
from tests import factories as f
from tests.audio import synth
from tests.connection_cuts import cut_patches_after, note_patch_offsets

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def member_page(page, tmp_path):
    member = f.make_user("uploader")
    community = f.make_community(members=[member], stewards=[f.make_user()])
    recording = f.make_recording(community, record_protocol="community", title="Harvest song")
    page.goto("/login/")
    page.fill("#id_username", "uploader")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_have_text("uploader")
    return page, recording, tmp_path


def test_upload_page_stores_the_master_with_progress(member_page):
    page, recording, tmp = member_page
    path = synth.write(tmp / "Harvest song, take 2.wav", seconds=4.0, channels=2)
    page.goto(f"/recordings/{recording.pk}/")
    with page.expect_navigation():  # the page's scripts run before the form is used
        page.click("text=Upload the audio")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Upload')")
    expect(page.locator("#upload-status")).to_contain_text("Stored. SHA-256", timeout=20000)
    master = RecordingFile.objects.get(recording=recording, role="master")
    assert master.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert master.original_name == "Harvest song, take 2.wav"
    assert page.locator("#progress").evaluate("el => el.value === el.max")


def test_an_interrupted_upload_resumes_after_reload(member_page, console_errors):
    page, recording, tmp = member_page
    path = synth.write(tmp / "long take.wav", seconds=12.0, channels=2)  # about 2 MB
    data = path.read_bytes()
    patches = []
    cut_after_three = cut_patches_after(3, patches)

    page.route("**/api/uploads/**", cut_after_three)
    page.goto(f"/recordings/{recording.pk}/upload/?chunk=131072&retries=none")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Upload')")
    expect(page.locator("#upload-status")).to_contain_text("Upload interrupted", timeout=20000)
    assert not RecordingFile.objects.filter(recording=recording).exists()
    page.unroute("**/api/uploads/**")
    assert console_errors == ["console: Failed to load resource: net::ERR_CONNECTION_RESET"]  # the cut we made
    console_errors.clear()
    resumed_offsets = []
    page.route("**/api/uploads/**", note_patch_offsets(resumed_offsets))
    page.reload()
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Upload')")
    expect(page.locator("#upload-status")).to_contain_text("Stored. SHA-256", timeout=30000)
    master = RecordingFile.objects.get(recording=recording, role="master")
    assert master.sha256 == hashlib.sha256(data).hexdigest() and master.size == len(data)
    assert resumed_offsets[0] == 3 * 131072  # it went on from the last byte the archive held


def test_an_empty_or_refused_file_says_so_and_never_looks_stored(member_page, console_errors):
    page, recording, tmp = member_page
    empty, text = tmp / "empty.wav", tmp / "notes.wav"
    empty.write_bytes(b"")
    text.write_bytes(b"these are field notes, not audio\n" * 200)
    page.goto(f"/recordings/{recording.pk}/upload/")
    page.set_input_files("#id_file", str(empty))
    page.click("button:has-text('Upload')")
    expect(page.locator("#upload-status")).to_have_text("The file is empty: choose the recording's audio file.")
    expect(page.locator("#upload-status")).to_have_class("upload-status error")
    page.set_input_files("#id_file", str(text))
    page.click("button:has-text('Upload')")
    status = page.locator("#upload-status")
    expect(status).to_contain_text("The archive refused the file:", timeout=20000)
    assert "Stored" not in status.text_content() and "/tus/" not in status.text_content()
    assert str(tmp) not in status.text_content() and "notes.wav" in status.text_content()
    expect(page.locator("#progress")).to_have_class("failed")
    console_errors.clear()  # the browser logs the refused request itself
    assert not RecordingFile.objects.filter(recording=recording).exists()


def test_the_same_file_as_another_recordings_audio_is_pointed_out(member_page):
    page, recording, tmp = member_page
    path = synth.write(tmp / "take.wav", seconds=2.0)
    for target in (recording, f.make_recording(recording.community, record_protocol="community", title="Copy")):
        page.goto(f"/recordings/{target.pk}/upload/")
        page.set_input_files("#id_file", str(path))
        page.click("button:has-text('Upload')")
        expect(page.locator("#upload-status")).to_contain_text("Stored. SHA-256", timeout=20000)
    expect(page.locator("#same-as")).to_contain_text("The same file is already the audio of another recording")
    assert page.locator("#same-as a").get_attribute("href") == f"/recordings/{recording.pk}/"


def test_audio_a_score_and_a_transcript_go_together_each_with_its_progress(member_page, console_errors):
    page, recording, tmp = member_page
    audio = synth.write(tmp / "take.wav", seconds=2.0)
    score = tmp / "tune.abc"
    score.write_text("X:1\nT:Harvest tune\nM:4/4\nL:1/4\nK:D\nDEFG|A2F2|GFED|D4|]\n", encoding="utf-8")
    lyrics = tmp / "lyrics.vtt"
    lyrics.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nFirst line\n\n00:01.000 --> 00:02.000\nSecond line\n",
                      encoding="utf-8")
    notes = tmp / "notes.txt"
    notes.write_text("field notes", encoding="utf-8")
    page.goto(f"/recordings/{recording.pk}/upload/")
    page.evaluate("""() => {  // a drop of one file on the zone fills the chooser, as a drag from the desktop does
        const data = new DataTransfer();
        data.items.add(new File(["X:1"], "dropped.abc"));
        document.getElementById("upload-drop").dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
    }""")
    assert page.evaluate("document.getElementById('id_file').files[0].name") == "dropped.abc"
    page.set_input_files("#id_file", [str(audio), str(score), str(lyrics), str(notes)])
    page.click("button:has-text('Upload')")
    expect(page.locator("#upload-status")).to_contain_text("Stored. SHA-256", timeout=20000)
    files = page.locator("#other-files li")
    expect(files).to_have_count(3)
    expect(files.nth(0).locator(".verdict")).to_have_text("score attached", timeout=20000)
    expect(files.nth(1).locator(".verdict")).to_have_text("2 annotations added")
    expect(files.nth(2).locator(".verdict")).to_contain_text("not sent")
    expect(page.locator("#after-upload")).to_be_visible()
    assert recording.scores.count() == 1 and recording.files.filter(role="master").exists()
    assert sorted(recording.annotations.values_list("body", flat=True)) == ["First line", "Second line"]


def test_two_audio_files_are_refused_before_anything_is_sent(member_page):
    page, recording, tmp = member_page
    first, second = synth.write(tmp / "a.wav", seconds=1.0), synth.write(tmp / "b.wav", seconds=1.0)
    page.goto(f"/recordings/{recording.pk}/upload/")
    page.set_input_files("#id_file", [str(first), str(second)])
    page.click("button:has-text('Upload')")
    expect(page.locator("#upload-status")).to_have_text("Choose one audio file: a recording keeps one preservation master.")
    assert not RecordingFile.objects.filter(recording=recording).exists()
