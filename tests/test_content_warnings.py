"""Content warnings: the steward's words come with the record in the API; the page shows an
overlay that must be acknowledged before the player and texts appear, once per session or
every time as the listener chooses; a person who has died puts a warning on every recording
that names them."""
import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from archive.models import Annotation, Narrative, Person, RecordingPerson
from tests import factories as f


@pytest.fixture
def warned():
    steward = f.make_user("keeper")
    community = f.make_community(stewards=[steward], name="Keepers")
    rec = f.make_recording(community, title="Funeral lament", record_protocol="public")
    other = f.make_recording(community, title="Wedding song", record_protocol="public")
    elder = Person.objects.create(name="Aunt Mira", deceased=True)
    for r in (rec, other):
        RecordingPerson.objects.create(recording=r, person=elder, role="performer")
    Annotation.objects.create(recording=rec, start=1, end=2, body="the keening begins",
                              content_warning="Mourning cries")
    Annotation.objects.create(recording=rec, start=3, end=4, body="the second verse names her")
    Narrative.objects.create(recording=rec, community=community, title="Who sang", text="Her sister.")
    return steward, rec, other


@pytest.mark.django_db
def test_warnings_come_with_the_record(warned):
    steward, rec, other = warned
    api = APIClient()
    api.force_authenticate(steward)
    assert api.patch(f"/api/recordings/{rec.pk}/", {"content_warning": "Sung at a funeral; distressing."},
                     format="json").status_code == 200
    body = APIClient().get(f"/api/recordings/{rec.pk}/").json()
    assert body["content_warnings"][0] == "Sung at a funeral; distressing."
    assert "Aunt Mira, who has passed away" in body["content_warnings"][1]
    assert APIClient().get(f"/api/recordings/{other.pk}/").json()["content_warnings"] == [
        "This recording contains the voice or name of Aunt Mira, who has passed away."]
    notes = APIClient().get(f"/api/recordings/{rec.pk}/annotations/").json()
    assert notes[0]["content_warning"] == "Mourning cries"
    member = f.make_user()
    rec.community.memberships.create(user=member, role="member")
    proposed = APIClient()
    proposed.force_authenticate(member)
    assert proposed.patch(f"/api/recordings/{rec.pk}/", {"content_warning": ""}, format="json").status_code == 202


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser
def test_the_overlay_must_be_acknowledged(page, warned, browser, live_server):
    _steward, rec, _other = warned
    page.goto(f"/recordings/{rec.pk}/")
    overlay = page.locator("#content-warning")
    expect(overlay).to_contain_text("Aunt Mira")
    expect(page.locator(".warned")).to_be_hidden()
    for covered in (".annotations", ".narratives", "#cite"):  # nothing shows before the warning is acknowledged
        expect(page.locator(covered)).to_be_hidden()
    expect(page.get_by_text("the second verse names her")).to_be_hidden()
    page.click("#cw-continue")
    expect(page.locator(".warned")).to_be_visible()
    expect(page.get_by_text("the second verse names her")).to_be_visible()
    expect(page.locator(".annotation-warning .body")).to_be_hidden()  # the annotation has its own warning
    page.click(".annotation-warning summary")
    expect(page.locator(".annotation-warning .body")).to_have_text("the keening begins")
    page.reload()  # warned every time unless the listener chose otherwise
    expect(overlay).to_be_visible()
    page.check("#cw-session")
    page.click("#cw-continue")
    page.reload()
    expect(page.locator(".warned")).to_be_visible()
    expect(overlay).to_be_hidden()
    fresh = browser.new_context(base_url=live_server.url).new_page()  # a new session is warned again
    fresh.goto(f"/recordings/{rec.pk}/")
    expect(fresh.locator("#content-warning")).to_be_visible()
    fresh.context.close()
