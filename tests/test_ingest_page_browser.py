"""A steward sends a CSV manifest on the web page; a real worker ingests it with progress,
and the job page reports what went in and which lines were skipped."""
import shutil

import pytest
from django.conf import settings
from playwright.sync_api import expect

from archive.models import Recording
from tests import factories as f
from tests.audio import synth

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
    expect(page.locator("#job-result li")).to_have_text(["line 3: file: no file 'absent.wav' in the ingest folder"])
    assert Recording.objects.get(title="Morning song").created_by == steward
    shutil.rmtree(drop)


def test_ingest_page_is_for_stewards(client):
    client.force_login(f.make_user("nobody"))
    assert client.get("/dashboard/ingest/").status_code == 403
