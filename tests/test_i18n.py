"""The interface in the community's language: every template string is in the catalogues,
Spanish and Arabic are complete, and in chromium the switcher changes the language, Arabic included,
which lays the page out right to left."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


def catalogue(path: Path) -> dict[str, list[str]]:
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        key = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', msgid.group(1)))
        strs = re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', block, re.M)
        entries[key] = ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', s)) for s in strs]
        entries[key].append("fuzzy" if "#, fuzzy" in block else "")
    return entries


JS_PO = PO.parent / "djangojs.po"
AR = ROOT / "locale" / "ar" / "LC_MESSAGES"


@pytest.mark.parametrize("po", [PO, JS_PO, AR / "django.po", AR / "djangojs.po"],
                         ids=["spanish pages", "spanish scripts", "arabic pages", "arabic scripts"])
def test_the_catalogues_are_complete_and_compiled(po):
    entries = catalogue(po)
    assert len(entries) > 15
    missing = [k for k, v in entries.items() if k and (not all(v[:-1]) or v[-1])]
    assert not missing, missing
    assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime - 5  # compiled after the last edit


def test_every_template_string_is_in_the_catalogue(tmp_path):
    """Extract afresh (as a translator would) from a copy of the code and compare: a string
    added to a page without going into the catalogues fails here."""
    import os
    import shutil

    if shutil.which("xgettext") is None:
        pytest.skip("gettext tools are not installed")
    copy = tmp_path / "src"
    for name in ("archive", "generation", "config", "worker", "music"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("static", "__pycache__", "migrations"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()
    for name in ("archive", "generation"):  # the scripts, without the vendored libraries
        shutil.copytree(ROOT / name / "static" / name, copy / name / "static" / name)
    for domain, po in (("django", PO), ("djangojs", JS_PO)):
        result = subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", "es", "--no-obsolete"],
            cwd=copy, capture_output=True, text=True,
            env={**os.environ, "SONGKEEPER_LOCALE_DIR": str(copy / "locale"), "PYTHONPATH": str(copy)})
        assert result.returncode == 0, result.stderr
        fresh = set(catalogue(copy / "locale" / "es" / "LC_MESSAGES" / f"{domain}.po"))
        assert len(fresh) > 15
        assert fresh <= set(catalogue(po)), sorted(fresh - set(catalogue(po)))


@pytest.mark.django_db
def test_pages_follow_the_chosen_language():
    client = Client()
    assert "Explorar" not in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get("/").content.decode()
    assert "Explorar" in page and 'lang="es"' in page and 'dir="ltr"' in page
    assert "Pausa" in client.get("/i18n/js/").content.decode()  # the scripts' catalogue follows too
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get("/").content.decode()
    assert 'dir="rtl"' in page and "تصفّح" in page
    assert "ما يفعله الأرشيف بكل وسم" in client.get("/labels/").content.decode()  # the newer pages too


@pytest.mark.django_db
def test_api_errors_and_page_messages_speak_the_callers_language():
    """Services raise their messages through gettext: the API answers in the Accept-Language
    given, a page in the language chosen."""
    from rest_framework.test import APIClient

    from tests import factories as f

    outsider = f.make_user("i18n-outsider")
    recording = f.make_recording(f.make_community(), title="Canción", media_protocol="stewards")
    api = APIClient()
    api.force_authenticate(outsider)
    url = f"/api/recordings/{recording.pk}/annotations/"
    body = {"start": 1, "end": 2, "body": "x"}
    english = api.post(url, body, format="json")
    spanish = api.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert english.status_code == spanish.status_code == 403
    assert "only members of the recording's community may annotate it" in str(english.json())
    assert "solo los miembros de la comunidad de la grabación pueden anotarla" in str(spanish.json())
    heard = api.get(f"/api/recordings/{recording.pk}/audio/", HTTP_ACCEPT_LANGUAGE="es")
    assert heard.status_code == 403 and "puede pedir acceso" in heard.json()["detail"]
    page = Client()
    page.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert "Revise los filtros" in page.get("/search/", {"tonic_min": "high"}).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser
def test_the_switcher_in_chromium_spanish_then_arabic_right_to_left(page):
    page.goto("/browse/")
    expect(page.locator("h1")).to_have_text("Browse the archive")
    page.select_option("#language", "es")
    page.click("form.language input[type=submit]")
    expect(page.locator("h1")).to_have_text("Explorar el archivo")
    expect(page.locator("nav")).to_contain_text("Ejemplos de estudio")
    page.wait_for_load_state()
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    page.select_option("#language", "ar")
    page.click("form.language input[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("nav a").first).to_have_text("تصفّح")
    page.wait_for_load_state()
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # right to left: the brand (first in the header) sits at the right edge, the navigation to its left
    brand = page.locator("header .brand").bounding_box()
    nav = page.locator("header nav").bounding_box()
    assert brand["x"] > nav["x"]


@pytest.mark.django_db
def test_labels_protocols_and_attribution_speak_the_readers_language():
    import json

    from tests import factories as f
    from tests.factories import api_client

    steward = f.make_user("steward")
    community = f.make_community(stewards=[steward], name="Valle")
    rule = f.bind_label(community, "tk_attribution", text="Credit the valley singers.")
    rule.translations = {"es": {"text": "Mencione a las cantoras del valle."}}
    rule.save()
    from archive.models import Label

    Label.objects.filter(code="tk_attribution").update(translations={"es": {"name": "TK Atribución"}})
    response = api_client(steward).post(f"/api/communities/{community.pk}/protocols/", {
        "name": "Initiated", "translations": {"es": {"name": "Iniciadas"}}}, format="json")
    assert response.status_code == 201 and response.json()["translations"] == {"es": {"name": "Iniciadas"}}
    assert api_client(steward).post(f"/api/communities/{community.pk}/protocols/", {
        "name": "Other", "translations": {"es": {"colour": "x"}}}, format="json").status_code == 400
    from archive.models import Protocol

    song = f.make_recording(community, title="Canción", labels=["tk_attribution"], record_protocol="public",
                            media_protocol="custom", media_custom_protocol=Protocol.objects.get(name="Initiated"))
    client = Client()
    client.force_login(steward)
    english = client.get(f"/recordings/{song.pk}/").content.decode()
    assert "Credit the valley singers." in english and "TK Attribution" in english and "Named in “Initiated”" in english
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    spanish = client.get(f"/recordings/{song.pk}/").content.decode()
    assert "Mencione a las cantoras del valle." in spanish and "TK Atribución" in spanish and "«Iniciadas»" in spanish
    plain = f.make_recording(community, title="Otra", labels=["tk_non_commercial"])  # no wording of the community's
    shipped = client.get(f"/recordings/{plain.pk}/").content.decode()
    assert "CT No Comercial" in shipped and "no puede usarse con fines comerciales" in shipped
    manifest = json.loads(Client().get(f"/iiif/recordings/{song.pk}/manifest").content)
    assert manifest["requiredStatement"]["value"] == {"none": ["Credit the valley singers."],
                                                      "es": ["Mencione a las cantoras del valle."]}


@pytest.mark.django_db
def test_what_the_archive_writes_itself_follows_the_language(tmp_path):
    """Values the code produces (how a tonic was found, the citation's kind and missing date) are
    translated as the page's own words are."""
    from archive.analysis import ANALYSER, VERSION
    from archive.models import Analysis
    from archive.services.ingest import recording_attach_master

    from . import factories as f
    from .audio import synth

    steward = f.make_user()
    recording = f.make_recording(f.make_community(stewards=[steward]), title="Canción del río", date="")
    recording_attach_master(recording=recording, path=synth.write(tmp_path / "a.wav", seconds=1.0),
                            original_name="a.wav", user=steward)
    Analysis.objects.create(recording=recording, analyser=ANALYSER, version=VERSION, status="ok", tonic_hz=220.0,
                            tonic_method="final note", tonic_confidence=0.8)
    client = Client()
    assert "final note" in client.get(f"/recordings/{recording.pk}/").content.decode()
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get(f"/recordings/{recording.pk}/").content.decode()
    assert "nota final" in page and "confianza" in page and "[Grabación de audio]" in page and "(s. f.)" in page
    assert "final note" not in page and "[Audio recording]" not in page  # BibTeX keeps its English note


@pytest.mark.django_db
def test_a_stewards_view_of_a_record_names_its_protocols_consent_and_status_in_words():
    from . import factories as f

    steward = f.make_user("es-steward")
    recording = f.make_recording(f.make_community(stewards=[steward]), title="Canción del puerto",
                                 record_protocol="public", media_protocol="community", training_consent="allowed")
    client = Client()
    client.force_login(steward)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get(f"/recordings/{recording.pk}/").content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    assert "Todo el mundo" in text and "Los miembros de la comunidad" in text and "permitido" in text
    assert not re.search(r"\b(public|community|Allowed)\b", re.sub(r"<script.*?</script>", "", text, flags=re.S))
    dashboard = re.sub(r"<[^>]+>", " ", client.get("/dashboard/").content.decode())
    assert "publicada" in dashboard and not re.search(r"\bpublished\b", dashboard)
