"""A notice whose body is released above its tier, in a real browser: an anonymous visitor sees
the stub (title, kind, region, deadline) with "登录后查看", follows the login link, signs in and
lands back on the notice, now reading the body."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from classification import changes
from classification.tiers import Tier
from portal.enterprises.models import Region
from portal.notices.models import Kind, NoticeIndexPage, NoticePage
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "某部队高寒地区无人机电池组保障需求"
SUMMARY = "采购耐低温无人机电池组 60 套，零下 30 摄氏度可用。"
#: Set PORTAL_SCREENSHOTS=/some/dir to keep the pages this test sees, for a look.
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"stub-{name}.png"), full_page=True)


def _stubbed_notice() -> NoticePage:
    """A public notice whose body only registered readers get."""
    author = UserFactory(username="s-procurer", roles=["procurement"])
    notice = NoticePage(
        title=TITLE,
        slug="stub-battery-packs",
        kind=Kind.DEMAND,
        tier=Tier.PUBLIC,
        summary=SUMMARY,
        deadline=timezone.now() + timedelta(days=20),
        region=Region.objects.get(code="450300"),
        body=[{"type": "paragraph", "value": "<p>用于高寒地区边防巡逻无人机。</p>"}],
        owner=author,
        live=False,
    )
    NoticeIndexPage.objects.get().add_child(instance=notice)
    notice.save_revision(user=author).publish()
    notice.refresh_from_db()
    officer = UserFactory(username="s-officer", roles=["classification_officer"])
    changes.set_tier(officer, notice, Tier.PUBLIC, {"body": Tier.REGISTERED})
    return notice


def test_anonymous_sees_the_stub_signs_in_and_reads_the_body(live_server, page) -> None:
    base = live_server.url
    notice = _stubbed_notice()
    UserFactory(username="s-reader")

    # The list shows the stub with the login link.
    page.goto(f"{base}/notices/")
    item = page.locator(".notice-item", has_text=TITLE)
    assert item.locator(".stub-note__login").inner_text() == "登录后查看"
    assert SUMMARY not in page.content()
    _shot(page, "list")

    answer = page.goto(base + notice.url)
    assert answer.status == 200
    assert page.locator("h1").inner_text() == TITLE
    facts = page.locator("dl.facts").inner_text()
    assert "桂林市" in facts and "截止时间" in facts
    assert SUMMARY not in page.content() and "边防巡逻" not in page.content()
    _shot(page, "anonymous")

    login = page.locator(".stub-note a.button", has_text="登录后查看")
    with page.expect_navigation():
        login.click()
    assert "/accounts/login/" in page.url
    page.locator("input[name=username]").fill("s-reader")
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()

    assert page.url == base + notice.url
    assert page.locator(".notice-detail__summary").inner_text() == SUMMARY
    assert "用于高寒地区边防巡逻无人机。" in page.locator(".notice-body").inner_text()
    assert page.locator(".stub-note").count() == 0
    _shot(page, "signed-in")
