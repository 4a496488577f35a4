"""A steward sends a CSV manifest on the web page; a real worker ingests it with progress,
and the job page reports what went in and which lines were skipped: over the drop folder, or
with the audio files chosen in the browser beside it (checked first, sent resumably, on a phone too)."""
import shutil

import pytest
from django.conf import settings
from playwright.sync_api import expect

from archive.models import IngestBatch, Recording
from tests import factories as f
from tests.audio import synth
from tests.connection_cuts import cut_patches_after, note_patch_offsets

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


def test_manifest_upload_runs_as_a_job(page, celery_worker, tmp_path):
    steward = f.make_user("keeper")
    community = f.make_community(stewards=[steward])
    tradition = f.make_tradition(community)
    drop = settings.INGEST_ROOT
    drop.mkdir(parents=True, exist_ok=True)
    synth.write(drop / "web-one.wav", seconds=1.0, freq=330.0)
    manifest = tmp_path / "batch.csv"
    manifest.write_text(
        "file,title,tradition,community,languages\n"
        f"web-one.wav,Morning song,{tradition.slug},{community.slug},sme\n"
        f"absent.wav,Lost song,{tradition.slug},{community.slug},sme\n", encoding="utf-8")
    page.goto("/login/")
    page.fill("#id_username", "keeper")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.goto("/dashboard/")
    page.click("text=Ingest a CSV manifest")
    page.set_input_files("#id_manifest", str(manifest))
    page.click("text=Start the ingest")
    expect(page.locator("#job-state")).to_have_text("succeeded", timeout=60000)
    expect(page.locator("#job-summary")).to_have_text("1 added, 0 already present, 1 skipped with errors")
    expect(page.locator("#job-errors li")).to_have_text(["line 3: file: no file 'absent.wav' in the ingest folder"])
    assert Recording.objects.get(title="Morning song").created_by == steward
    shutil.rmtree(drop)


def test_a_manifest_and_its_files_from_the_browser(page, celery_worker, tmp_path):
    steward = f.make_user("browser-keeper")
    community = f.make_community(stewards=[steward], name="Delta singers")
    tradition = f.make_tradition(community, name="Delta songs")
    one = synth.write(tmp_path / "river-one.wav", seconds=1.5, freq=330.0)
    two = synth.write(tmp_path / "river-two.wav", seconds=1.0, freq=440.0)
    manifest = tmp_path / "rivers.csv"
    manifest.write_text(
        "file,title,tradition,community,record_protocol,media_protocol\n"
        f"river-one.wav,Ferry song,{tradition.slug},{community.slug},public,public\n"
        f"river-two.wav,Net song,{tradition.slug},{community.slug},public,nobody\n"
        f"river-three.wav,Lost song,{tradition.slug},{community.slug},public,public\n", encoding="utf-8")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/login/?next=/dashboard/ingest/%3Fchunk%3D20000")  # small pieces: several requests a file
    page.fill("#id_username", "browser-keeper")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/ingest/?chunk=20000")  # loaded: ingest.js listens for files once it has run
    page.set_input_files("#id_batch_files", [str(manifest), str(one), str(two)])
    expect(page.locator("#batch-chosen")).to_have_text("3 files chosen")
    page.click("#batch-check")
    rows = page.locator("#batch-rows tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator(".verdict")).to_have_text("ready")
    expect(rows.nth(1).locator(".verdict")).to_contain_text("media_protocol")
    expect(rows.nth(2).locator(".verdict")).to_contain_text("not among the files you chose")
    expect(page.locator("#batch-status")).to_contain_text("nothing has been written yet")
    assert not Recording.objects.filter(community=community).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the report fits the phone

    page.click("#batch-send")
    expect(page.locator("#job-state")).to_have_text("succeeded", timeout=60000)
    expect(page.locator("#job-summary")).to_have_text("1 added, 0 already present, 2 skipped with errors")
    expect(page.locator("#job-errors li")).to_have_count(2)
    recording = Recording.objects.get(title="Ferry song")
    expect(page.locator("#job-added a")).to_have_attribute("href", f"/recordings/{recording.pk}/")
    expect(page.locator("h1")).to_have_text("Ingest of a manifest and its files")
    assert recording.created_by == steward and recording.files.get(role="master").size == one.stat().st_size
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('songkeeper-batch')).length") == 0


def test_a_batch_cut_off_mid_file_resumes_after_a_reload(page, celery_worker, tmp_path, console_errors):
    steward = f.make_user("resuming-keeper")
    community = f.make_community(stewards=[steward])
    tradition = f.make_tradition(community)
    long_take = synth.write(tmp_path / "long take.wav", seconds=12.0, channels=2)  # about 2 MB
    manifest = tmp_path / "take.csv"
    manifest.write_text(f"file,title,tradition,community\nlong take.wav,Long take,{tradition.slug},{community.slug}\n",
                        encoding="utf-8")
    patches = []
    cut_after_three = cut_patches_after(3, patches)

    page.goto("/login/")
    page.fill("#id_username", "resuming-keeper")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.route("**/api/uploads/**", cut_after_three)
    page.goto("/dashboard/ingest/?chunk=131072&retries=none")
    page.set_input_files("#id_batch_files", [str(manifest), str(long_take)])
    page.click("#batch-check")
    page.click("#batch-send")
    expect(page.locator("#batch-status")).to_contain_text("Upload interrupted", timeout=20000)
    assert not Recording.objects.filter(community=community).exists()
    page.unroute("**/api/uploads/**")
    assert console_errors == ["console: Failed to load resource: net::ERR_CONNECTION_RESET"]  # the cut we made
    console_errors.clear()
    offsets = []
    page.route("**/api/uploads/**", note_patch_offsets(offsets))
    page.reload()
    page.set_input_files("#id_batch_files", [str(manifest), str(long_take)])
    page.click("#batch-check")
    page.click("#batch-send")
    expect(page.locator("#job-summary")).to_have_text("1 added, 0 already present, 0 skipped with errors",
                                                      timeout=60000)
    assert offsets[0] == 3 * 131072  # it went on from the last byte the archive held
    assert IngestBatch.objects.filter(user=steward).count() == 1  # in the same batch
    assert Recording.objects.get(title="Long take").files.get(role="master").size == long_take.stat().st_size


def test_ingest_page_is_for_members(client):
    client.force_login(f.make_user("nobody"))
    assert client.get("/dashboard/ingest/").status_code == 403
    member = f.make_user("just-a-member")
    f.make_community(members=[member])
    client.force_login(member)
    page = client.get("/dashboard/ingest/").content.decode()
    assert 'id="batch-form"' in page and 'id="drop-folder"' not in page  # the drop folder is the stewards'
    assert client.post("/dashboard/ingest/").status_code == 403
