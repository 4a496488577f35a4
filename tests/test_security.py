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
