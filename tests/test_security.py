"""Security that users rely on: headers, escaping everywhere (checked in a browser),
login rate limiting, session rotation."""
import pytest
from django.test import Client
from playwright.sync_api import expect
from rest_framework.test import APIClient

from archive.models import Annotation, Narrative
from tests import factories as f

XSS = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">"\'&'


@pytest.mark.django_db
def test_pages_send_security_headers():
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin" and "camera=()" in response["Permissions-Policy"]
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser
def test_html_in_every_text_field_is_shown_not_run(page):
    member = f.make_user("member")
    community = f.make_community(members=[member], stewards=[f.make_user()], name=XSS)
    tradition = f.make_tradition(community, name=XSS)
    rec = f.make_recording(community, tradition, title=XSS, description=XSS, alt_titles=[XSS], genre=XSS, rights=XSS)
    Narrative.objects.create(recording=rec, community=community, title=XSS, text=XSS)
    Annotation.objects.create(recording=rec, start=0, end=1, body=XSS)
    for url in ("/", f"/recordings/{rec.pk}/", f"/traditions/{tradition.slug}/", f"/communities/{community.slug}/",
                "/search/?q=script", "/search/?q=" + "%3Cscript%3E"):
        page.goto(url)
        assert page.evaluate("window.__xss") is None, url
    page.goto(f"/recordings/{rec.pk}/")
    expect(page.locator("h1")).to_have_text(XSS)


@pytest.mark.django_db
def test_login_is_rate_limited_per_user_and_address():
    f.make_user("victim")
    client = Client()
    for _ in range(4):
        response = client.post("/login/", {"username": "victim", "password": "wrong"})
        assert response.status_code == 200 and "didn" in response.content.decode()
    assert client.post("/login/", {"username": "victim", "password": "wrong"}).status_code == 429  # the fifth
    locked = client.post("/login/", {"username": "victim", "password": f.PASSWORD})  # even the right one now
    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.content.decode()
    api = APIClient()
    answer = api.post("/api/auth/token/", {"username": "victim", "password": f.PASSWORD}, format="json")
    assert answer.status_code == 429 and answer.json()["code"] == "locked"


@pytest.mark.django_db
def test_a_good_login_resets_the_count_and_rotates_the_session():
    f.make_user("walker")
    client = Client()
    client.get("/login/")
    client.post("/login/", {"username": "walker", "password": "wrong"})
    before = client.session.session_key
    response = client.post("/login/", {"username": "walker", "password": f.PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before  # no session fixation


@pytest.mark.django_db
def test_a_nul_character_is_refused_clearly_on_pages_forms_and_the_api(django_capture_on_commit_callbacks):
    """PostgreSQL text cannot hold NUL: without the check these were 500s there (schemathesis found them)."""
    with django_capture_on_commit_callbacks(execute=True):  # indexed as the writes commit
        steward = f.make_user("nul-steward")
        community = f.make_community(stewards=[steward])
        f.make_recording(community, title="Plain song")
    page = Client().get("/search/", {"q": "song\x00"})
    assert page.status_code == 400 and "NUL character" in page.content.decode()
    spanish = Client().get("/search/", {"q": "canción\x00"}, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.status_code == 400 and 'lang=es' in spanish.content.decode()
    assert "NUL character" not in spanish.content.decode()  # said in the visitor's language
    login = Client().post("/login/", "username=nul%00user&password=x",  # as a browser sends a form
                          content_type="application/x-www-form-urlencoded")
    assert login.status_code == 400
    api = APIClient()
    answer = api.get("/api/search/", {"q": "\x00"})
    assert answer.status_code == 400 and answer.json()["code"] == "invalid"
    api.force_authenticate(steward)
    body = api.post("/api/auth/token/", {"username": "a\x00b", "password": "c"}, format="json")
    assert body.status_code in (400, 429) and "detail" in body.json()
    assert api.get("/api/search/", {"q": "plain"}).json()["count"] == 1  # and plain input still works


@pytest.mark.django_db
def test_every_form_on_every_page_carries_a_csrf_token_and_posts_without_one_are_refused():
    """Pages are rendered as a steward (who sees the most forms: share links, decisions, ingest,
    consent, sign out), a member (access requests) and a visitor (language, sign in)."""
    import re

    steward, member = f.make_user("csrf-steward"), f.make_user("csrf-member")
    community = f.make_community(stewards=[steward], members=[member])
    recording = f.make_recording(community, title="Form song")
    hidden_audio = f.make_recording(community, title="Ask to hear", media_protocol="stewards")
    pages = ["/", "/browse/", "/search/?q=form", f"/recordings/{recording.pk}/", f"/recordings/{hidden_audio.pk}/",
             "/dashboard/", "/dashboard/ingest/", "/login/"]
    forms_seen = 0
    for user in (steward, member, None):
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue
            for form in re.findall(r"<form\b[^>]*>.*?</form>", response.content.decode(), flags=re.S | re.I):
                if re.search(r'method="post"', form, flags=re.I):
                    forms_seen += 1
                    assert 'name="csrfmiddlewaretoken"' in form, (url, form[:200])
    assert forms_seen >= 8
    outsider = Client(enforce_csrf_checks=True)
    outsider.force_login(steward)
    forged = outsider.post(f"/recordings/{recording.pk}/share/", {"until": "2030-01-01"})
    assert forged.status_code == 403
    assert outsider.post("/i18n/setlang/", {"language": "es"}).status_code == 403
