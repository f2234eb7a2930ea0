"""The site on a phone (375 × 812): nothing wider than the screen, the supplier results
before the filters, the filters behind a 筛选 button, the signed-in header in one line per
item, and the matching score beside a readable company name.

Set PORTAL_SCREENSHOTS=/some/dir to keep what the test sees, for a look.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.browser.scene import build_scene, sign_in
from tests.search_fixtures import qualification

pytestmark = [
    pytest.mark.browser,
    pytest.mark.engine,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")
PHONE = {"width": 375, "height": 812}
#: How far down the first supplier may start: below the header, the search form and the
#: 筛选 button, within the first screen and a bit.
FIRST_RESULT_BELOW = 900

#: The lines each element's own text takes: one unless it wraps.
TEXT_LINES = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const boxes = [...range.getClientRects()].filter(box => box.width > 0);
  const tops = new Set(boxes.map(box => Math.round(box.top)));
  return tops.size;
}"""


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"mobile-{name}.png"), full_page=True)


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def _header_items_on_one_line(page) -> None:
    items = page.locator(
        ".site-nav a:visible, .site-tools a:visible, .site-tools button:visible,"
        " .site-tools summary:visible"
    )
    assert items.count() >= 3
    for i in range(items.count()):
        item = items.nth(i)
        lines = item.evaluate(TEXT_LINES)
        assert lines <= 1, f"{item.inner_text()!r} wraps onto {lines} lines"


def test_pages_fit_a_phone_with_results_first_and_filters_behind_a_button(
    live_server, page, search_index, make_enterprise
) -> None:
    scene = build_scene()
    until = date.today() + timedelta(days=400)
    for n, city in enumerate(("南宁", "柳州", "桂林", "北海", "钦州")):
        make_enterprise(
            f"{city}北斗卫星导航高精度定位终端科技股份有限公司{n}",
            region=("450103", "450202", "450305", "450502", "450702")[n],
            industries=["D0101"],
            description="北斗导航终端、高精度定位与短报文通信设备的研发与生产。",
            products=[{"name": "北斗高精度定位终端", "description": "RTK 厘米级定位"}],
            qualifications=[qualification("gjb9001c", until)],
        )
    search_index()
    page.set_viewport_size(PHONE)
    officer = scene.staff["procurement"]
    sign_in(page, live_server, officer)

    for name, path in (("home", "/"), ("notice", scene.notice.url)):
        page.goto(live_server.url + path)
        _shot(page, name)
        _fits_the_screen(page)
        _header_items_on_one_line(page)

    # The account's links wait in a menu.
    account = page.get_by_role("link", name="我的企业")
    assert not account.is_visible()
    page.locator(".account-menu summary").click()
    assert account.is_visible()
    _header_items_on_one_line(page)
    _fits_the_screen(page)
    _shot(page, "account-menu")

    page.goto(live_server.url + "/suppliers/?q=北斗")
    _shot(page, "suppliers")
    _fits_the_screen(page)
    _header_items_on_one_line(page)
    first = page.locator(".result").first
    assert first.bounding_box()["y"] < FIRST_RESULT_BELOW
    facets = page.locator(".facets .facet").first
    assert not facets.is_visible()
    page.locator(".facets summary", has_text="筛选").click()
    assert facets.is_visible()
    _shot(page, "suppliers-filters")
    _fits_the_screen(page)
    page.locator(".facet a", has_text="柳州市").first.click()
    page.wait_for_url("**region=450200*")
    assert page.locator(".result").count() == 1

    page.goto(f"{live_server.url}/matching/notices/{scene.notice.pk}/")
    _shot(page, "matching")
    _fits_the_screen(page)
    names = page.locator("li.match h2")
    assert names.count() >= 1
    for i in range(names.count()):
        box = names.nth(i).bounding_box()
        assert box["width"] >= 0.6 * (PHONE["width"] - 64), "the score squeezes the name"

    # Wide screens keep both in view without a click.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/suppliers/?q=北斗")
    assert page.locator(".facets .facet").first.is_visible()
    assert not page.locator(".facets summary").is_visible()
    assert page.get_by_role("link", name="我的企业").is_visible()
    assert page.get_by_role("button", name="退出").is_visible()
