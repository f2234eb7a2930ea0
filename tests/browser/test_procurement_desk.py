"""In a real browser: a procurement officer drafts a demand on the desk and submits it; a
classification officer and a publisher approve it in the admin's workflow; the officer sees it
live; a vetted supplier follows it; the officer amends it (through the workflow again) and the
follower gets the e-mail; the officer closes it."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from portal.notices.models import NoticePage
from tests.browser.conftest import pass_second_step
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Set PORTAL_SCREENSHOTS=/some/dir to keep the pages this test sees, for a look.
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")
TITLE = "北斗短报文通信终端采购"


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"desk-{name}.png"), full_page=True)


def _log_in(page, base: str, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def _approve_in_admin(page, base: str, username: str, notice: NoticePage) -> None:
    """The reviewer of the current step opens the page in the admin and approves it."""
    _log_in(page, base, username, f"/admin/pages/{notice.pk}/edit/")
    pass_second_step(page, username)
    assert f"/admin/pages/{notice.pk}/edit/" in page.url, page.url
    approve = page.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    if not approve.is_visible():
        page.locator(
            "footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]"
        ).first.click()
    with page.expect_navigation():
        approve.click()


def _desk_action(page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()


def test_officer_publishes_amends_and_closes_a_demand(live_server, page) -> None:
    base = live_server.url
    officer = UserFactory(username="desk_officer", roles=["procurement"])
    UserFactory(username="desk_classifier", roles=["classification_officer"])
    publisher = UserFactory(username="desk_publisher")
    publisher.groups.add(Group.objects.get(name="publisher"))
    follower = UserFactory(username="desk_follower")
    EnterpriseFactory(owners=[follower], name="南宁星通北斗科技有限公司")

    # The officer starts from the account dashboard.
    _log_in(page, base, "desk_officer", "/accounts/")
    _shot(page, "01-dashboard")
    with page.expect_navigation():
        page.get_by_role("link", name="发布需求").first.click()
    deadline = timezone.localtime(timezone.now() + timedelta(days=30))
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("摘要").fill("采购北斗三号短报文通信终端 40 台，用于野外分队通信保障。")
    page.get_by_label("正文").fill("用于野外分队通信保障。\n\n交付地点：南宁。")
    page.get_by_label("技术要求").fill("支持区域短报文\nIP67 防护")
    page.locator("select[name=industries]").select_option(["D01"])
    page.locator("select[name=region]").select_option("450100")
    page.locator("input[name=deadline]").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("联系人").fill("李参谋")
    page.get_by_label("联系电话").fill("0771-2805678")
    _shot(page, "02-form")
    _desk_action(page, "保存草稿")
    notice = NoticePage.objects.get(title=TITLE)
    assert notice.owner == officer and not notice.live
    assert page.locator(".desk-head__status").inner_text().startswith("草稿")
    assert notice.url == "/notices/bei-dou-duan-bao-wen-tong-xin-zhong-duan-cai-gou/"
    _shot(page, "03-draft")

    _desk_action(page, "提交审核")
    assert "定密审核中" in page.locator(".desk-head__status").inner_text()
    _shot(page, "04-submitted")

    _approve_in_admin(page, base, "desk_classifier", notice)
    _approve_in_admin(page, base, "desk_publisher", notice)
    notice.refresh_from_db()
    assert notice.live

    _log_in(page, base, "desk_officer", "/desk/")
    assert "已发布" in page.locator("table.desk-table").inner_text()
    _shot(page, "05-my-demands")

    # A vetted supplier follows it from the notice page.
    _log_in(page, base, "desk_follower", notice.url)
    with page.expect_navigation():
        page.get_by_role("button", name="关注此信息").click()
    assert page.locator(".follow-box .badge").inner_text() == "已关注"
    _shot(page, "06-followed")

    # The officer amends it; the change waits for the workflow, then goes out.
    _log_in(page, base, "desk_officer", f"/desk/{notice.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="变更").click()
    page.get_by_label("摘要").fill("采购数量调整为 60 台，用于野外分队通信保障。")
    page.get_by_label("变更原因").fill("数量调整")
    _desk_action(page, "保存并提交审核")
    assert "变更：定密审核中" in page.locator(".desk-head__status").inner_text()
    _approve_in_admin(page, base, "desk_classifier", notice)
    _approve_in_admin(page, base, "desk_publisher", notice)
    notice.refresh_from_db()
    assert notice.summary.startswith("采购数量调整为 60 台")
    [amended] = [m for m in mail.outbox if m.to == [follower.email]]
    assert "变更公告" in amended.subject and "数量调整" in amended.body

    # The follower sees the amendment history on the notice.
    _log_in(page, base, "desk_follower", notice.url)
    assert "数量调整" in page.locator("section.amendments").inner_text()
    _shot(page, "07-amended-notice")

    # The officer closes it early.
    _log_in(page, base, "desk_officer", f"/desk/{notice.pk}/")
    page.locator("form[action$='/close/'] input[name=reason]").fill("需求已满足")
    _desk_action(page, "立即截止")
    assert "已截止" in page.locator(".desk-head__status").inner_text()
    _shot(page, "08-closed")
    notice.refresh_from_db()
    assert not notice.is_open
    assert len([m for m in mail.outbox if m.to == [follower.email]]) == 2
