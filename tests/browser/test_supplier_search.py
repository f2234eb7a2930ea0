"""The supplier directory in a real browser: type, pick a suggestion, narrow by region and
qualification, open a profile."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.search_fixtures import qualification

pytestmark = [
    pytest.mark.browser,
    pytest.mark.engine,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_search_suggest_narrow_and_open_a_profile(live_server, page, search_index, make_enterprise):
    valid = date.today() + timedelta(days=365)
    make_enterprise(
        "南宁北斗导航科技有限公司",
        region="450103",
        industries=["D0101"],
        description="北斗导航终端与高精度定位。",
        products=[{"name": "北斗导航终端", "description": ""}],
        qualifications=[qualification("gjb9001c", valid)],
    )
    make_enterprise(
        "柳州北斗车载终端有限公司",
        region="450202",
        industries=["D0101"],
        description="北斗车载导航终端。",
        products=[{"name": "北斗车载终端", "description": ""}],
        qualifications=[qualification("gjb9001c", valid)],
    )
    make_enterprise(
        "桂林北斗授时设备有限公司",
        region="450305",
        industries=["D0101"],
        description="北斗授时设备。",
        products=[{"name": "北斗授时服务器", "description": ""}],
    )
    search_index()

    page.goto(live_server.url + "/suppliers/")
    box = page.locator("#q")
    box.press_sequentially("bddh", delay=40)
    option = page.get_by_role("option", name="北斗导航终端")
    option.click()
    page.wait_for_url("**/suppliers/?q=*")
    assert box.input_value() == "北斗导航终端"

    page.goto(live_server.url + "/suppliers/?q=北斗")
    assert page.locator(".result").count() == 3
    page.locator(".facet a", has_text="南宁市").first.click()
    page.wait_for_url("**region=450100*")
    assert page.locator(".result").count() == 1
    page.goto(live_server.url + "/suppliers/?q=北斗")
    page.get_by_role("link", name="GJB 9001C-2017 质量管理体系认证", exact=False).first.click()
    page.wait_for_url("**qualification=gjb9001c*")
    assert page.locator(".result").count() == 2
    page.locator(".result h2 a").first.click()
    page.wait_for_url("**/enterprises/*/")
    assert "北斗" in page.get_by_role("heading", level=1).inner_text()
