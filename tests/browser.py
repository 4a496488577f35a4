"""What browser tests share: signing in through the real login page."""
from playwright.sync_api import expect

from tests import factories as f


def sign_in(page, username: str, password: str = f.PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_have_text(username)
