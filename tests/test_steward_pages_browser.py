"""The steward's workspace in chromium: a new recording described, protected and published from
the pages (with a plain-language preview of who sees and hears it, and a language picker that
finds codes by name), edited, and withdrawn after a confirmation that says what follows; a
member's draft and proposed change; errors beside their fields; a phone-width screen in Arabic."""
import re

import pytest
from playwright.sync_api import expect

from archive.models import Annotation, Proposal, Recording
from tests import factories as f
from tests.browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def community():
    f.ensure_labels()
    steward, member = f.make_user("ferry-steward"), f.make_user("ferry-member")
    community = f.make_community(stewards=[steward], members=[member], name="Ferry singers")
    f.make_tradition(community, name="Ferry songs")
    return community




def test_a_steward_describes_protects_publishes_edits_and_withdraws_a_recording(page, community):
    sign_in(page, "ferry-steward")
    with page.expect_navigation():
        page.click("header >> text=New recording")
    page.fill("#id_title", "Lullaby of the ferry")
    page.fill("#id_alt_titles", "تهويدة العبّارة")
    page.select_option("#id_tradition", label="Ferry songs")
    page.fill("#id_people", "Ana Lima (performer)\nBo Berg (recordist)")
    page.fill("#id_place", "Drøbak")
    page.fill("#id_country", "no")
    page.fill("#id_languages", "northern sa")
    page.click("#language-matches >> text=Northern Sami (sme)")
    expect(page.locator("#id_languages")).to_have_value("sme, ")
    page.fill("#id_date", "1978-06")
    page.fill("#id_instruments", "voice, accordion")
    page.select_option("#id_record_protocol", "public")
    page.select_option("#id_media_protocol", "stewards")
    expect(page.locator("#who-sees")).to_have_text("Who will see the record: Everyone.")
    expect(page.locator("#who-hears")).to_have_text("Who will hear the audio: The community's stewards only.")
    page.check("input[name=labels][value=tk_secret_sacred]")
    expect(page.locator("#who-sees")).to_contain_text("Its labels keep it inside Ferry singers")
    page.uncheck("input[name=labels][value=tk_secret_sacred]")
    page.check("input[name=labels][value=tk_attribution]")
    expect(page.locator("label[for=id_labels_0]").locator("xpath=..")).to_be_visible()
    page.check("input[name=training_consent][value=allowed]")
    with page.expect_navigation():
        page.click("button[name=publish]")
    expect(page.locator(".messages")).to_contain_text("Saved. Now add its audio.")
    recording = Recording.objects.get(title="Lullaby of the ferry")
    assert recording.status == "published" and recording.alt_titles == ["تهويدة العبّارة"]
    assert (recording.record_protocol, recording.media_protocol) == ("public", "stewards")
    assert [c.person.name for c in recording.credits.order_by("person__name")] == ["Ana Lima", "Bo Berg"]
    assert list(recording.languages.values_list("code", flat=True)) == ["sme"]
    assert recording.place.country == "NO" and recording.year_from == 1978
    assert list(recording.label_links.values_list("label_id", flat=True)) == ["tk_attribution"]
    assert recording.training_consent == "allowed"

    page.goto(f"/recordings/{recording.pk}/")
    with page.expect_navigation():
        page.click("#edit-record")
    expect(page.locator("#id_title")).to_have_value("Lullaby of the ferry")
    page.fill("#id_title", "Lullaby of the old ferry")
    page.fill("#id_date", "last summer")  # not a date: said beside the field, nothing saved
    with page.expect_navigation():
        page.click("button:has-text('Save')")
    expect(page.locator("#field-date .error")).to_be_visible()
    assert Recording.objects.get(pk=recording.pk).title == "Lullaby of the ferry"
    page.fill("#id_date", "1978")
    with page.expect_navigation():
        page.click("button:has-text('Save')")
    expect(page.locator("h1")).to_have_text("Lullaby of the old ferry")

    with page.expect_navigation():
        page.click("#withdraw-record")
    expect(page.locator(".what-follows")).to_contain_text("Every style model that learned from it is retired")
    page.fill("#id_reason", "the family asked")
    with page.expect_navigation():
        page.click("button:has-text('Withdraw')")
    expect(page.locator(".messages")).to_contain_text("Withdrawn")
    assert Recording.objects.get(pk=recording.pk).status == "withdrawn"


def test_a_member_saves_a_draft_and_proposes_a_change(page, community):
    sign_in(page, "ferry-member")
    page.goto("/recordings/new/")
    expect(page.locator("#id_record_protocol")).to_have_count(0)  # stewards decide who sees and hears
    page.fill("#id_title", "Rowing song")
    page.select_option("#id_tradition", label="Ferry songs")
    with page.expect_navigation():
        page.click("button:has-text('Save as a draft for the stewards')")
    draft = Recording.objects.get(title="Rowing song")
    assert draft.status == "draft" and draft.record_protocol == "community"
    published = f.make_recording(community, draft.tradition, title="Evening crossing")
    page.goto(f"/recordings/{published.pk}/")
    with page.expect_navigation():
        page.click("text=Propose a change")
    page.fill("#id_description", "Sung when the last ferry leaves.")
    with page.expect_navigation():
        page.click("button:has-text('Propose this change')")
    expect(page.locator(".messages")).to_contain_text("sent to the community's stewards")
    proposal = Proposal.objects.get(recording=published)
    assert proposal.changes["description"] == "Sung when the last ferry leaves."
    assert Recording.objects.get(pk=published.pk).description == ""


def test_the_form_fits_a_phone_in_arabic(browser, live_server, community):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="ar")
    page = context.new_page()
    sign_in(page, "ferry-steward")
    page.goto("/recordings/new/")
    page.select_option("#language", "ar")
    with page.expect_navigation():
        page.click("form.language [type=submit]")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    recording = f.make_recording(community, title="أغنية العبّارة الطويلة", record_protocol="public")
    Annotation.objects.create(recording=recording, start=12.5, end=20.25, body="المقطع الثاني")
    page.goto(f"/recordings/{recording.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # BibTeX and its URL wrap
    time_range = page.locator(".annotations .time bdi")
    assert time_range.get_attribute("dir") == "ltr" and time_range.text_content().startswith("12")
    assert page.locator("#citation-bibtex").evaluate("el => getComputedStyle(el).direction") == "ltr"
    arabic = re.compile("[\u0600-\u06ff]")
    for url in ("/dashboard/", "/dashboard/ingest/", f"/recordings/{recording.pk}/edit/",
                f"/recordings/{recording.pk}/withdraw/", f"/recordings/{recording.pk}/upload/"):
        page.goto(url)  # every steward page: in Arabic, right to left, within the phone's width
        assert page.locator("html").get_attribute("dir") == "rtl", url
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
        assert arabic.search(page.locator("main h1").first.inner_text()), url
    context.close()


def test_a_steward_manages_members_and_the_communitys_protocols_from_the_dashboard(page, community):
    from archive.models import Membership, Protocol

    f.make_user("new-singer")
    sign_in(page, "ferry-steward")
    page.goto("/dashboard/")
    people = page.locator(f"#people-{community.slug}")
    people.locator(".add-member [name=username]").fill("new-singer")
    with page.expect_navigation():
        people.locator(".add-member button").click()
    expect(page.locator(".messages")).to_contain_text("new-singer is now a member.")
    assert Membership.objects.filter(community=community, user__username="new-singer", role="member").exists()
    people.locator(".add-protocol [name=name]").fill("Women's songs")
    people.locator(".add-protocol [name=members]").fill("new-singer, ferry-member")
    with page.expect_navigation():
        people.locator(".add-protocol button").click()
    expect(people.locator(".protocols")).to_contain_text("Women's songs: ferry-member, new-singer")
    protocol = Protocol.objects.get(community=community, name="Women's songs")
    assert {u.username for u in protocol.members.all()} == {"new-singer", "ferry-member"}
    with page.expect_navigation():  # the last steward cannot leave the community without one
        people.locator("li", has_text="ferry-steward").locator("button:has-text('Remove')").click()
    expect(page.locator(".messages")).to_contain_text("a community keeps at least one steward")
    with page.expect_navigation():
        people.locator("li", has_text="new-singer").locator("button:has-text('Remove')").click()
    assert not Membership.objects.filter(community=community, user__username="new-singer").exists()


def test_a_new_share_link_is_shown_once_with_a_copy_button(browser, live_server, community):
    from datetime import timedelta

    from django.utils import timezone

    recording = f.make_recording(community, title="Crossing at dawn", record_protocol="stewards")
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, "ferry-steward")
    page.goto(f"/recordings/{recording.pk}/")
    page.click("#share-links summary")
    page.fill("#share-links [name=until]", str(timezone.localdate() + timedelta(days=7)))
    with page.expect_navigation():
        page.click("text=Make a share link")
    url = page.locator("#new-share-url").input_value()
    assert "/share/" in url
    page.click("[data-copy=new-share-url]")
    expect(page.locator(".new-share-link .copied")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    page.reload()
    expect(page.locator("#new-share-url")).to_have_count(0)
    context.close()


def test_a_member_tells_the_communitys_account_and_rewords_it_in_place(page, community):
    from archive.models import Narrative

    recording = f.make_recording(community, title="Evening crossing", record_protocol="public")
    sign_in(page, "ferry-member")
    page.goto(f"/recordings/{recording.pk}/")
    page.click("#narratives .add-narrative summary")
    page.fill(".add-narrative [name=title]", "Who sang it")
    page.fill(".add-narrative [name=text]", "The ferryman's daughters, each summer.")
    page.fill(".add-narrative [name=language]", "eng")
    with page.expect_navigation():
        page.click("text=Add the account")
    expect(page.locator("#narratives .narrative h3")).to_have_text(["Who sang it"])
    narrative = Narrative.objects.get(recording=recording)
    assert (narrative.community, narrative.author.username) == (community, "ferry-member")
    page.click(f"#narrative-{narrative.pk} .reword summary")
    page.fill(f"#narrative-{narrative.pk} [name=text]", "The ferryman's daughters, every summer until 1990.")
    with page.expect_navigation():
        page.click(f"#narrative-{narrative.pk} button:has-text('Save')")
    expect(page.locator(f"#narrative-{narrative.pk}")).to_contain_text("every summer until 1990")
    outsider = f.make_user("ferry-outsider")
    page.context.clear_cookies()
    sign_in(page, outsider.username)
    page.goto(f"/recordings/{recording.pk}/")
    expect(page.locator(".reword")).to_have_count(0)  # only its author and the community's stewards reword it
    expect(page.locator(".add-narrative")).to_have_count(0)  # an outsider belongs to no community


def test_a_steward_chooses_the_traditions_notation_on_its_page(page, community):
    """Turkish makam signs with the community's own perde names; a line that is not "cents name"
    is refused with a message and nothing changes; a member does not see the form."""
    from archive.models import Tradition

    tradition = Tradition.objects.get(name="Ferry songs")
    sign_in(page, "ferry-steward")
    page.goto(f"/traditions/{tradition.slug}/")
    form = page.locator("#notation form")
    form.locator("[name=system]").select_option("aeu")
    form.locator("[name=names]").fill("0 Dügâh\n204 Segâh")
    with page.expect_navigation():
        form.locator("button").click()
    expect(page.locator(".messages")).to_contain_text("The notation is saved")
    tradition.refresh_from_db()
    assert tradition.notation == {"system": "aeu", "names": [[0.0, "Dügâh"], [204.0, "Segâh"]]}
    expect(page.locator("#notation [name=system]")).to_have_value("aeu")
    expect(page.locator("#notation [name=names]")).to_have_value("0 Dügâh\n204 Segâh")
    page.locator("#notation [name=names]").fill("Dügâh at the tonic")
    with page.expect_navigation():
        page.locator("#notation button").click()
    expect(page.locator(".messages")).to_contain_text("line 1: write the cents above the tonic")
    tradition.refresh_from_db()
    assert tradition.notation["names"][0] == [0.0, "Dügâh"]
    page.context.clear_cookies()
    sign_in(page, "ferry-member")
    page.goto(f"/traditions/{tradition.slug}/")
    expect(page.locator("#notation")).to_have_count(0)
