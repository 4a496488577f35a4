"""What a first-time user tripped over, as plain requests: the login page's title, the header's
search box keeping the query, an empty resumable upload refused, an upload of bytes another
recording already holds pointed out (only where the uploader may see that recording)."""
import base64

import pytest
from django.test import Client

from tests import factories as f
from tests.audio import synth
from tests.factories import api_client

pytestmark = pytest.mark.django_db


def test_the_login_page_is_titled_with_the_archive_not_the_host():
    page = Client().get("/login/").content.decode()
    assert "<title>Sign in · Songkeeper</title>" in page


def test_the_header_search_box_keeps_the_query():
    page = Client().get("/search/", {"q": "harvest song"}).content.decode()
    assert 'name="q" value="harvest song"' in page


def test_an_empty_resumable_upload_is_refused_before_anything_is_kept():
    member = f.make_user("first-member")
    recording = f.make_recording(f.make_community(members=[member]))
    metadata = "recording " + base64.b64encode(str(recording.pk).encode()).decode()
    answer = api_client(member).post("/api/uploads/", HTTP_TUS_RESUMABLE="1.0.0", HTTP_UPLOAD_LENGTH="0",
                                     HTTP_UPLOAD_METADATA=metadata)
    assert answer.status_code == 400 and "empty" in answer.json()["detail"]
    assert not recording.uploads.exists()


def test_an_upload_of_bytes_another_recording_holds_says_which_if_the_uploader_may_see_it(tmp_path):
    member = f.make_user("dup-member")
    community = f.make_community(members=[member])
    first, second = f.make_recording(community, title="First"), f.make_recording(community, title="Second")
    hidden = f.make_recording(f.make_community(), title="Elsewhere", record_protocol="stewards")
    path = synth.write(tmp_path / "take.wav", seconds=1.0)
    client = api_client(member)

    def upload(recording):
        with open(path, "rb") as fh:
            return client.post(f"/api/recordings/{recording.pk}/upload/", {"file": fh}, format="multipart").json()

    from archive.models import RecordingFile
    from archive.services.ingest import recording_attach_master

    steward = hidden.community.memberships.create(user=f.make_user("other-steward"), role="steward").user
    recording_attach_master(recording=hidden, path=path, original_name="take.wav", user=steward, move=False)
    assert upload(first)["same_as"] == []  # the only other copy is one the member may not see
    assert upload(second)["same_as"] == [str(first.pk)]
    assert RecordingFile.objects.filter(role="master").count() == 3


def test_the_search_pages_facets_speak_the_readers_language_not_internal_codes():
    from archive.models import Place

    community = f.make_community()
    recording = f.make_recording(community, title="Joik of the fells", labels=["tk_attribution"],
                                 place=Place.objects.create(name="Kautokeino", country="NO"))
    recording.languages.create(code="sme")
    from archive.search.index import search_index_recording

    search_index_recording(recording)
    page = Client().get("/search/", {"q": "joik"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    i = page.find("Has_audio")
    assert i < 0, page[i - 300:i + 100]
    assert "<h3>País</h3>" in page and "<h3>Idioma</h3>" in page
    assert ">Noruega<" in page and ">CT Atribución<" in page and ">sme<" not in page
    filtered = Client().get("/search/", {"q": "joik", "label": "tk_attribution", "country": "NO"},
                            HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Etiqueta: CT Atribución ×" in filtered and "País: Noruega ×" in filtered  # the active filters too
    english = Client().get("/search/", {"q": "joik"}).content.decode()
    assert ">Norway<" in english and ">Northern Sami<" in english and "<h3>Country</h3>" in english


def test_a_filter_that_names_nothing_is_said_not_a_server_error():
    answer = Client().get("/search/", {"q": "x", "tradition": "not-an-id", "community": "also-not"})
    assert answer.status_code in (200, 400) and "Not-an-id" not in answer.content.decode()
