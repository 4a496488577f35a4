"""The database away for a moment (its file unreachable, or its server refusing connections):
the web answers 503 with a clear message instead of failing, writes leave nothing behind, the
health check says which part is down, and everything answers again once it is back."""
import pytest
from django.db import connection
from django.test import Client

from archive.models import Annotation
from tests import factories as f
from tests.factories import api_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_down():
    settings = connection.settings_dict
    saved = {key: settings[key] for key in ("NAME", "PORT", "HOST")}

    def down():
        connection.close()
        if connection.vendor == "sqlite":
            settings["NAME"] = "/nonexistent/folder/songkeeper.sqlite3"
        else:
            settings["HOST"], settings["PORT"] = "127.0.0.1", "1"  # nothing listens there

    def up():
        connection.close()
        settings.update(saved)

    yield down, up
    up()


def test_the_web_says_the_database_is_away_and_recovers(database_down):
    down, up = database_down
    member = f.make_user("member")
    community = f.make_community(members=[member], stewards=[f.make_user("steward")])
    song = f.make_recording(community, record_protocol="public", title="Morning song")
    writer = api_client(member)
    client = Client(raise_request_exception=False)
    down()
    response = client.get("/api/recordings/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["code"] == "database_unavailable" and "try again" in response.json()["detail"]
    page = client.get("/")
    assert page.status_code == 503 and "unavailable for a moment" in page.content.decode()
    assert client.get("/healthz").status_code == 503
    wrote = writer.post(f"/api/recordings/{song.pk}/annotations/", {"start": 0, "end": 1, "body": "lost?"}, format="json")
    assert wrote.status_code == 503
    up()
    assert client.get("/api/recordings/").json()["count"] == 1
    assert not Annotation.objects.exists()  # nothing half-written
    assert writer.post(f"/api/recordings/{song.pk}/annotations/", {"start": 0, "end": 1, "body": "kept"},
                       format="json").status_code == 201
