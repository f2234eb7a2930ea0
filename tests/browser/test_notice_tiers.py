"""A vetted notice in a real browser: an anonymous visitor gets the 404 page (the notice is not
even confirmed to exist), a registered but unvetted user too, and the owner of an approved
enterprise reads it in full (contact, requirements) and is offered the response form."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from classification.tiers import Tier
from portal.enterprises.models import Region
from portal.notices.models import Kind, NoticeIndexPage, NoticePage
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "认证需求：某部队北斗短报文终端采购"
PHONE = "0771-2809876"
#: Set PORTAL_SCREENSHOTS=/some/dir to keep the pages this test sees, for a look.
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"notice-{name}.png"), full_page=True)


def _vetted_notice() -> NoticePage:
    author = UserFactory(username="b-procurer", roles=["procurement"])
    notice = NoticePage(
        title=TITLE,
        slug="vetted-beidou-terminals",
        kind=Kind.DEMAND,
        tier=Tier.VETTED,
        summary="采购北斗三号短报文终端 80 台，用于边境巡逻通信保障。",
        deadline=timezone.now() + timedelta(days=20),
        contact_name="李参谋",
        contact_phone=PHONE,
        region=Region.objects.get(code="450100"),
        body=[
            {
                "type": "requirements",
                "value": {"heading": "技术要求", "items": ["支持北斗三号短报文", "续航 72 小时"]},
            }
        ],
        owner=author,
        live=False,
    )
    NoticeIndexPage.objects.get().add_child(instance=notice)
    notice.save_revision(user=author).publish()
    notice.refresh_from_db()
    return notice


def _log_in(page, base: str, username: str, next_url: str):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation() as navigation:
        page.locator("main button[type=submit]").click()
    return navigation.value


def test_vetted_user_sees_the_notice_anonymous_gets_404(live_server, page) -> None:
    base = live_server.url
    notice = _vetted_notice()
    UserFactory(username="b-registered")
    vetted = UserFactory(username="b-vetted")
    EnterpriseFactory(owners=[vetted], name="桂林北斗测试通信有限公司")

    answer = page.goto(base + notice.url)
    assert answer.status == 404
    _shot(page, "anonymous-404")
    assert page.get_by_role("heading", level=1).inner_text() in {"页面不存在", "Page not found"}
    assert TITLE not in page.content()
    page.goto(base + "/notices/")
    assert TITLE not in page.content()

    assert _log_in(page, base, "b-registered", notice.url).status == 404
    assert TITLE not in page.content()

    answer = _log_in(page, base, "b-vetted", notice.url)
    assert answer.status == 200 and page.url == base + notice.url
    _shot(page, "vetted")
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert PHONE in page.locator(".facts").inner_text()
    assert "续航 72 小时" in page.locator(".notice-body").inner_text()
    assert page.locator(f"a[href='/notices/respond/{notice.pk}/']").is_visible()
    page.goto(base + "/notices/")
    assert page.get_by_role("link", name=TITLE).count() == 1
