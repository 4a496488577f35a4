"""What browser tests share: signing in through the real login page."""
import time

from playwright.sync_api import expect

from tests import factories as f


def sign_in(page, username: str, password: str = f.PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_have_text(username)


def wait_until(page, expression: str, *, timeout: float = 30.0, interval: float = 0.1) -> None:
    """Poll a JavaScript expression (or arrow function) until it is truthy. Playwright's
    wait_for_function polls inside the page with eval, which the archive's Content Security Policy
    (script-src 'self') rightly refuses; page.evaluate runs through the DevTools protocol instead."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout}s: {expression}")
        time.sleep(interval)
