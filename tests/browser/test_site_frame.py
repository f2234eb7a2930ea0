"""The site frame in a real browser: Chinese home page, English switch, sign-up form."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_page_in_chinese_then_english(live_server, page) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == "军民融合供需对接平台"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    navigation = page.get_by_role("navigation", name="Main navigation")
    assert navigation.get_by_role("link", name="Supplier directory").is_visible()


def test_sign_up_form_shows_validation_messages(live_server, page) -> None:
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("用户名").fill("fangchenggang_marine")
    page.get_by_label("电子邮箱").fill("not-an-address")
    page.get_by_role("button", name="注册").click()
    assert page.locator(".error").first.is_visible()
    assert page.get_by_label("用户名").input_value() == "fangchenggang_marine"
