"""The site's main pages under its Content-Security-Policy in a real browser: Chromium reports
no violation (an inline script, style or handler left in a template would be refused and
logged), and the scripts that remain (suggestions, ECharts, the wizard) still run."""

from __future__ import annotations

import pytest

from portal.notices.models import NoticePage
from portal.papers.demo import create_paper
from tests.browser.conftest import pass_second_step
from tests.factories import PASSWORD, UserFactory
from tests.notices.conftest import author, index, make_notice  # noqa: F401 - fixtures
from tests.papers.conftest import short_blocks
from tests.statistics.conftest import reviewer, world  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.engine,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "content security policy" in m.lower()]


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    pass_second_step(page, username)  # staff enrol: the enrolment pages run under the policy too


def test_main_pages_raise_no_csp_violation(
    live_server,
    page,
    world,  # noqa: F811 - statistics to draw, notices to list
    reviewer,  # noqa: F811
    search_index,
    make_enterprise,
) -> None:
    supplier = make_enterprise(
        "南宁北斗导航科技有限公司",
        industries=["D0101"],
        description="北斗导航终端与高精度定位。",
        products=[{"name": "北斗导航终端", "description": ""}],
    )
    search_index()
    paper = create_paper(short_blocks(), slug="csp-paper", title="广西北斗产业白皮书（CSP）")
    notice = NoticePage.objects.live().filter(tier="public").first()
    assert notice is not None

    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    base = live_server.url

    anonymous = [
        "/",
        "/suppliers/?q=北斗",
        f"/enterprises/{supplier.pk}/",
        "/notices/",
        notice.url,
        "/papers/",
        paper.url,
        "/accounts/login/",
        "/accounts/signup/",
        "/api/v1/docs/",
    ]
    for path in anonymous:
        response = page.goto(base + path)
        assert response.status == 200, path
        policy = [part.split() for part in response.headers["content-security-policy"].split(";")]
        assert ["script-src", "'self'"] in policy, path
        page.wait_for_load_state("load")
    # The scripts still run: ECharts replaced the server-drawn SVG, and the facets are links.
    page.goto(base + paper.url)
    page.wait_for_selector(".paper-chart__canvas.is-drawn svg")
    chart = page.locator(".paper-chart__canvas.is-drawn").first
    chart.scroll_into_view_if_needed()
    texts = chart.locator("svg text").count()
    chart.hover()  # the tooltip is drawn on hover, as rich text inside the chart's SVG
    page.wait_for_function(
        "([node, count]) => node.querySelectorAll('svg text').length > count",
        arg=[chart.element_handle(), texts],
    )
    page.goto(base + "/suppliers/?q=北斗")
    assert page.locator(".facet a").count() > 0
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("bd", delay=40)
    page.get_by_role("option").first.wait_for()

    _sign_in(page, base, reviewer.username)
    for path in ["/accounts/", "/enterprises/register/basics/", "/statistics/?year=2025"]:
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
    page.wait_for_selector("#chart-industry.is-drawn svg")
    height = page.locator("#chart-industry").evaluate("node => node.style.height")
    assert height.endswith("px")

    assert _violations(messages) == []


def test_wagtail_admin_runs_under_its_own_policy(live_server, page, make_notice) -> None:  # noqa: F811
    """The admin policy is loose enough for Wagtail's own inline scripts and styles: the page
    editor, with its preview panel, logs no violation."""
    notice = make_notice("公开：北斗终端采购")
    UserFactory(username="csp_editor", is_staff=True, is_superuser=True)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    base = live_server.url
    page.goto(f"{base}/admin/login/")
    page.locator("input[name=username]").fill("csp_editor")
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("button[type=submit]").first.click()
    pass_second_step(page, "csp_editor")
    for path in ["/admin/", "/admin/pages/", f"/admin/pages/{notice.pk}/edit/"]:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert "'unsafe-inline'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    assert _violations(messages) == []
