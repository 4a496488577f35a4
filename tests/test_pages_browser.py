"""Every page in a real browser (Debian's chromium via Playwright) on a live server;
the `page` fixture fails a test on any console error."""
import re

import pytest
from playwright.sync_api import expect

from archive.demo import demo_load
from archive.models import AccessRequest, Collection, Proposal, Recording
from archive.web.views import HOME_RECENT
from tests.browser import sign_in
from tests.demo_facts import public_titles

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "songkeeper-demo"


@pytest.fixture
def demo():
    demo_load()




def test_home_lists_traditions_in_their_scripts(page, demo):
    page.goto("/")
    expect(page).to_have_title(re.compile("Home"))
    expect(page.locator("text=कर्नाटक संगीत")).to_be_visible()
    expect(page.locator("text=الآلة الأندلسية")).to_be_visible()
    expect(page.locator("text=Севдалинка")).to_be_visible()
    # Only what an anonymous visitor may see is listed (the newest few of it).
    expect(page.locator(".card")).to_have_count(min(len(public_titles()), HOME_RECENT))
    assert set(page.locator(".card a.title").all_inner_texts()) <= set(public_titles())


def test_tradition_page(page, demo):
    page.goto("/traditions/carnatic/")
    expect(page.locator("h1")).to_have_text("Carnatic music")
    expect(page.locator(".card .title")).to_have_text(["Abhogi varnam, first speed"])


def test_community_and_collection_pages(page, demo):
    page.goto("/communities/varnam-circle/")
    expect(page.locator("h1")).to_have_text("Varnam Study Circle")
    collection = Collection.objects.get(title__startswith="Varnam lessons")
    page.goto(f"/collections/{collection.pk}/")
    expect(page.locator("h1")).to_have_text(collection.title)
    expect(page.locator(".card")).to_have_count(1)


def test_the_label_page_says_what_each_label_does_and_which_are_only_shown(page, demo):
    from archive.labels import ENFORCED, LABELS

    page.goto("/")
    page.click("footer >> text=Labels and what they do")
    expect(page.locator("h1")).to_have_text("What the archive does with each Local Contexts label")
    expect(page.locator("table.label-policy tbody tr")).to_have_count(len(LABELS))
    expect(page.locator("tr.enforced")).to_have_count(len(ENFORCED))
    expect(page.locator("#tk_community_use_only")).to_contain_text("Only the community's members may train on it")
    expect(page.locator("#tk_secret_sacred")).to_contain_text("No model may learn from it")
    expect(page.locator("#tk_men_restricted")).to_contain_text("names the men who may see it")
    expect(page.locator("#tk_clan .shown-only-note")).to_be_visible()
    page.select_option("#language", "es")
    page.click("text=Change language")
    expect(page.locator("#tk_community_use_only")).to_contain_text("Solo los miembros de la comunidad pueden entrenar")
    expect(page.locator("#tk_community_use_only th")).to_contain_text("CT Uso Exclusivo Comunitario")


def test_recording_page_shows_labels_narratives_annotations(page, demo):
    rec = Recording.objects.get(title="نوبة رمل الماية")
    page.goto(f"/recordings/{rec.pk}/")
    title = page.locator("h1")
    expect(title).to_have_text("نوبة رمل الماية")
    assert title.evaluate("el => getComputedStyle(el).direction") == "rtl"
    expect(page.locator("#label-tk_non_commercial")).to_contain_text("TK Non-Commercial")
    expect(page.locator("#label-tk_non_commercial .shown-only")).to_have_count(0)  # enforced: inherited by examples
    expect(page.locator(".attribution")).to_contain_text("Fès Āla Ensemble")
    expect(page.locator(".narrative h3")).to_have_text(["عن هذه النوبة"])
    expect(page.locator(".annotations li")).to_contain_text(["بداية الميزان"])
    expect(page.locator(".protocol")).to_have_count(0)  # protocols are shown to stewards only


def test_steward_sees_protocols_on_the_recording_page(page, demo):
    sign_in(page, "youssef", PASSWORD)
    rec = Recording.objects.get(title="نوبة رمل الماية")
    page.goto(f"/recordings/{rec.pk}/")
    expect(page.locator(".protocol")).to_have_text(["Everyone", "Anyone signed in"])  # in words, not codes
    assert [p.get_attribute("data-level") for p in page.locator(".protocol").all()] == ["public", "registered"]


def test_hidden_recording_page_is_not_found(page, demo, console_errors):
    rec = Recording.objects.get(title="Guild rehearsal (members)")
    response = page.goto(f"/recordings/{rec.pk}/")
    assert response.status == 404
    assert "Guild rehearsal" not in page.content()
    # The browser logs the 404 of the document itself; that one is expected.
    assert console_errors == ["console: Failed to load resource: the server responded with a status of 404 (Not Found)"]
    console_errors.clear()


def test_login_rejects_a_wrong_password(page, demo):
    page.goto("/login/")
    page.fill("#id_username", "scholar")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("didn't match")


def test_request_access_then_steward_grants_on_the_dashboard(page, demo):
    rec = Recording.objects.get(title="Mohanam lesson with the teacher's corrections")
    sign_in(page, "scholar", PASSWORD)
    page.goto(f"/recordings/{rec.pk}/")
    page.fill("#id_message", "For my thesis on Mohanam")
    page.click("text=Ask the community for access")
    expect(page.locator(".messages")).to_contain_text("sent to the community's stewards")
    page.click("text=Sign out")
    sign_in(page, "meena", PASSWORD)
    page.goto("/dashboard/")
    request = AccessRequest.objects.get(recording=rec)
    box = page.locator(f"#access-{request.pk}")
    expect(box).to_contain_text("For my thesis on Mohanam")
    box.locator("button[value=grant]").click()
    expect(page.locator(".messages")).to_contain_text("Decision recorded")
    request.refresh_from_db()
    assert request.status == "granted" and request.decided_by.username == "meena"


def test_dashboard_approves_a_proposal_and_sets_consent(page, demo):
    rec = Recording.objects.get(title="Emina")
    scholar = rec.community.members.model.objects.get(username="scholar")
    proposal = Proposal.objects.create(recording=rec, proposer=scholar, changes={"genre": "sevdalinka (love song)"})
    sign_in(page, "amina", PASSWORD)
    page.goto("/dashboard/")
    page.locator(f"#proposal-{proposal.pk} button[value=approve]").click()
    expect(page.locator(".messages")).to_contain_text("Decision recorded")
    rec.refresh_from_db()
    assert rec.genre == "sevdalinka (love song)"
    row = page.locator(f"#rec-{rec.pk}")
    row.locator("select").select_option("not_allowed")
    row.locator("button").click()
    expect(page.locator(".messages")).to_contain_text("now not allowed")
    rec.refresh_from_db()
    assert rec.training_consent == "not_allowed"
