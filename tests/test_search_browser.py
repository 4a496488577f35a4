"""The search page in chromium: results with marked snippets, an annotation hit that opens
the player at its moment, and a facet link that refines the results."""
import re

import pytest
from playwright.sync_api import expect

from archive.demo import demo_load
from tests.demo_facts import public_titles, seasonal_open

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_search_page_finds_refines_and_links_to_moments(page):
    demo_load()
    page.goto("/")
    page.fill(".quick-search input", "емина")
    page.keyboard.press("Enter")
    expect(page.locator(".hit-recording a")).to_have_text(["Emina"])
    page.goto("/search/?q=الميزان")
    expect(page.locator(".hit-annotation a").first).to_have_attribute("href", re.compile(r"#t=30$"))
    expect(page.locator(".hit-annotation .snippet mark")).to_have_text(["الميزان"])
    page.goto("/search/?q=")
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{len(public_titles())} results"))
    page.click("[data-facet='tradition']:has-text('Sevdalinka')")
    expect(page.locator(".hit a")).to_have_text(["Emina"])
    expect(page.locator("#result-count")).to_contain_text("Tradition: Sevdalinka ×")  # a name, never an id


def test_browse_page_counts_only_the_visible_and_links_to_search(page):
    demo_load()
    page.goto("/browse/")
    places = page.locator("#by-place")
    expect(places).to_contain_text("BA")
    instruments = page.locator("#by-instrument")
    if seasonal_open():  # the guild's seasonal recording from Hà Nội is public in its season only
        expect(places).to_contain_text("Hà Nội")
        expect(instruments).to_contain_text("đàn đáy")
    else:
        expect(places).not_to_contain_text("Hà Nội")
        expect(instruments).not_to_contain_text("đàn đáy")
    page.click("#by-instrument a:has-text('saz')")
    expect(page.locator(".hit a")).to_have_text(["Emina"])
