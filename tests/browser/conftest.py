"""Playwright driving Debian's Chromium (`make test` installs it; Playwright's own browser
download cannot run here)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(live_server, transactional_db) -> Iterator:
    """A fresh headless Chromium page per test.

    Playwright's sync API marks an event loop as running in this thread, which switches
    Django's connection storage to context variables: a browser kept across tests would hide
    the connection that carries the serialized test data, so each test starts its own after
    the database is set up, and stops it before the database is flushed.
    """
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):  # pragma: no cover - environment problem
        pytest.fail(f"{CHROMIUM} is missing; `make test` installs Debian's chromium.")
    # ORM calls made by the test between page actions are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
            context.close()
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def pass_second_step(page, username: str) -> None:
    """Staff logging in through the pages meet the code step: enrolment (the authenticator
    being set up, then the recovery codes page) or verification. The code is the one the
    user's authenticator shows now, computed from the device as the phone app would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import current_code

    assert "/accounts/two-factor/" in page.url, page.url
    device = TOTPDevice.objects.filter(user__username=username).order_by("confirmed").first()
    enrolling = not device.confirmed
    page.locator("input[name=code]").fill(current_code(device))
    with page.expect_navigation():
        page.locator("form:has(input[name=code]) button[type=submit]").click()
    if enrolling:
        assert page.locator("#recovery-codes li").count() == 10
        with page.expect_navigation():
            page.locator("main a.button").click()
