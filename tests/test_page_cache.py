"""The anonymous page cache (archive/page_cache.py) with real commits and the real Redis: hits for
anonymous visitors, never stale after any write (service, bulk update, raw SQL), never used for
signed-in users or sessions, CSRF tokens that are the visitor's own, and pages still served when
the cache is down."""
import re

import pytest
from django.db import connection
from django.test import Client, override_settings

from archive.models import Recording, RecordingLabel
from archive.services.recordings import recording_update

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def visit(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response, response.content.decode()


def served_from_cache(url: str, tries: int = 5):
    """A fresh visitor's answer once it comes from the cache. The suite's Celery worker shares this
    database and may commit a write of its own between two requests (moving the version, so the
    page is rendered afresh, as it must be): a few tries let a settled catalogue show its hit."""
    for _ in range(tries):
        response = Client().get(url)
        if response.get("X-Page-Cache") == "hit":
            return response
    raise AssertionError(f"{url} was never served from the cache in {tries} requests")


def test_anonymous_pages_are_served_from_the_cache_until_the_catalogue_changes():
    steward = f.make_user("cache-steward")
    community = f.make_community(stewards=[steward])
    recording = f.make_recording(community, title="Lullaby of the ferry")
    visitor = Client()
    first, page = visit(visitor, "/")
    assert "Lullaby of the ferry" in page and "X-Page-Cache" not in first
    again = served_from_cache("/")
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]  # the headers still wrap it

    recording_update(recording=recording, data={"record_protocol": ("stewards", None), "media_protocol": ("stewards", None)},
                     user=steward)  # a service write
    after, page = visit(Client(), "/")
    assert "X-Page-Cache" not in after and "Lullaby of the ferry" not in page

    Recording.objects.filter(pk=recording.pk).update(record_protocol="public")  # a bulk update
    visit(Client(), "/")
    _, page = visit(Client(), "/")
    assert "Lullaby of the ferry" in page
    with connection.cursor() as cursor:  # raw SQL, as a migration or a shell would
        cursor.execute("UPDATE archive_recording SET status = %s WHERE id = %s", ["draft", recording.pk.hex
                       if connection.vendor == "sqlite" else recording.pk])
    _, page = visit(Client(), "/")
    assert "Lullaby of the ferry" not in page


def test_a_new_secret_label_hides_a_recording_from_cached_search_answers_at_once():
    f.ensure_labels()
    community = f.make_community()
    recording = f.make_recording(community, title="Ferry song")
    url = "/api/search/?q=ferry"
    assert Client().get(url).json()["count"] == 1  # brings the search index up to date (a write)
    assert served_from_cache(url).json()["count"] == 1
    RecordingLabel.objects.bulk_create([RecordingLabel(recording=recording, label_id="tk_secret_sacred")])
    assert Client().get(url).json()["count"] == 0
    assert "Ferry song" not in visit(Client(), "/search/?q=ferry")[1]


def test_signed_in_users_and_sessions_are_never_served_from_the_cache():
    steward = f.make_user("cache-steward-2")
    community = f.make_community(stewards=[steward])
    hidden = f.make_recording(community, title="Stewards only", record_protocol="stewards")
    visit(Client(), "/")
    served_from_cache("/")
    signed_in = Client()
    signed_in.force_login(steward)
    response, page = visit(signed_in, "/")
    assert "X-Page-Cache" not in response and "Stewards only" in page
    with_session = Client()
    with_session.cookies["sessionid"] = "anything"
    assert "X-Page-Cache" not in visit(with_session, "/")[0]
    assert "Stewards only" in visit(signed_in, f"/recordings/{hidden.pk}/")[1]
    assert Client().get(f"/recordings/{hidden.pk}/").status_code == 404  # the steward's page was not kept


def test_a_cached_page_carries_the_visitors_own_csrf_token():
    f.make_recording(f.make_community(), title="Token song")
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    visit(Client(), "/")
    visitor = Client(enforce_csrf_checks=True)
    response, page = visit(visitor, "/")
    assert response["X-Page-Cache"] == "hit"
    switched = visitor.post("/i18n/setlang/", {"language": "es", "next": "/",
                                               "csrfmiddlewaretoken": token.search(page).group(1)})
    assert switched.status_code == 302  # a token from another visitor's render would be refused (403)
    assert visit(visitor, "/")[0]["Content-Language"] == "es"


def test_pages_are_still_served_when_the_cache_is_down():
    f.make_recording(f.make_community(), title="No cache song")
    visit(Client(), "/")
    served_from_cache("/")
    dead = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 1}}}
    with override_settings(CACHES=dead):
        response, page = visit(Client(), "/")
        assert "No cache song" in page and "X-Page-Cache" not in response
        f.make_recording(f.make_community(), title="Written while the cache is down")
        assert "Written while the cache is down" in visit(Client(), "/")[1]
