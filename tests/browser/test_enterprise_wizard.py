"""The enterprise sign-up wizard in a real browser, to "submitted", then a reviewer approves the
profile in the Wagtail admin and it appears in the directory.

Fields are found by their form names, not their labels, so that the test reads the same in
either language; the flow is the one a person follows, link by link.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.accounts import roles
from portal.enterprises.models import Enterprise, Status
from portal.enterprises.uscc import make_uscc, org_code_check_char
from tests.browser.conftest import pass_second_step

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Wizard-2026-pass"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "广西北斗星测试导航科技有限公司"


def _user(django_user_model, name: str, role: str):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", PASSWORD)
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    user.groups.add(Group.objects.get(name=role))
    return user


def _log_in(page, username: str) -> None:
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def _continue(page) -> None:
    page.locator("button[name=next]").click()
    page.wait_for_load_state()


def walk_wizard(page, base_url: str, uscc: str, shot: Callable[[str], None]) -> None:
    """From the anonymous start page to a submitted profile (the owner's whole journey)."""
    page.goto(base_url + "/enterprises/register/")
    shot("00-start")
    page.locator("a[href^='/accounts/login/?next=']").first.click()
    _log_in(page, "nanning_owner")
    assert page.url.endswith("/enterprises/register/basics/"), page.url

    page.locator("input[name=uscc]").fill(uscc)
    page.locator("input[name=name]").fill(NAME)
    page.locator("select[name=region]").select_option("450103")
    page.locator("input[name=industries][value=D0101]").check()
    page.locator("textarea[name=description]").fill("北斗高精度定位终端研发与生产。<b>粗体</b>")
    page.locator("input[name=capability_tags]").fill("北斗定位、短报文")
    shot("01-basics")
    _continue(page)

    assert "/edit/qualifications/" in page.url, page.url
    page.locator("select[name=qualifications-0-type]").select_option("secrecy")
    # The level list offers only the chosen type's levels.
    level = page.locator("select[name=qualifications-0-level]")
    assert level.locator("option:not([disabled])").all_inner_texts() == [
        "—",
        "一级",
        "二级",
        "三级",
    ]
    level.select_option("二级")
    page.locator("input[name=qualifications-0-number]").fill("桂BM2025001")
    page.locator("input[name=qualifications-0-valid_from]").fill("2024-01-01")
    page.locator("input[name=qualifications-0-valid_until]").fill("2029-12-31")
    page.locator("input[name=qualifications-0-document]").set_input_files(
        {"name": "保密资格证书.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    shot("02-qualifications")
    _continue(page)

    assert "/edit/products/" in page.url, page.url
    page.locator("input[name=products-0-name]").fill("北斗定位终端")
    page.locator("input[name=patents-0-title]").fill("一种抗干扰北斗天线")
    page.locator("input[name=patents-0-is_defense]").check()
    shot("03-products")
    _continue(page)

    assert "/edit/contacts/" in page.url, page.url
    page.locator("input[name=contacts-0-name]").fill("李明")
    page.locator("input[name=contacts-0-phone]").fill("0771-5551234")
    shot("04-contacts")
    _continue(page)

    assert "/edit/review/" in page.url, page.url
    assert page.locator(".notice--warning").count() == 0
    assert "<b>粗体</b>" in page.locator(".profile").inner_text()  # shown as typed, not markup
    shot("05-review")
    page.locator("#submit-profile").click()
    page.wait_for_load_state()
    assert page.url.endswith("/enterprises/dashboard/"), page.url
    shot("06-dashboard-submitted")


def approve_in_admin(page, base_url: str, shot: Callable[[str], None]) -> None:
    """The reviewer finds the profile in the admin's review queue and approves it."""
    page.goto(base_url + "/admin/login/?next=/admin/enterprises/review/")
    page.locator("input[name=username]").fill("gx_reviewer")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    pass_second_step(page, "gx_reviewer")  # a reviewer's first login enrols an authenticator
    assert "/admin/enterprises/review/" in page.url, page.url
    page.get_by_role("link", name=NAME).first.click()
    page.wait_for_load_state()
    shot("07-admin-review")
    page.locator("form:has(input[name=action][value=approve]) button[type=submit]").click()
    page.wait_for_load_state()


def test_owner_registers_and_reviewer_approves(live_server, page, django_user_model) -> None:
    owner = _user(django_user_model, "nanning_owner", roles.ENTERPRISE)
    _user(django_user_model, "gx_reviewer", roles.REVIEWER)
    body = "MC000001"
    uscc = make_uscc("91450103" + body + org_code_check_char(body))

    walk_wizard(page, live_server.url, uscc, shot=lambda name: None)
    enterprise = Enterprise.objects.get(uscc=uscc)
    assert enterprise.status == Status.SUBMITTED
    assert list(enterprise.owners.all()) == [owner]
    assert page.locator(".dashboard-item .badge").first.inner_text().strip() in {
        "已提交",
        "Submitted",
    }

    page.context.clear_cookies()
    approve_in_admin(page, live_server.url, shot=lambda name: None)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.APPROVED
    qualification = enterprise.qualifications.get()
    assert qualification.level == "二级" and qualification.document.name.endswith(".pdf")
    assert enterprise.patents.get().is_defense

    page.goto(live_server.url + "/enterprises/")
    page.get_by_role("link", name=NAME).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith(NAME)
    # The reviewer reads vetted fields, so the scan is downloadable from the profile.
    assert page.locator(f"a[href$='/qualifications/{qualification.pk}/document/']").count() == 1
