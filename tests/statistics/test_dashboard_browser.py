"""The dashboard in headless Chromium: a reviewer signs in, ECharts draws every chart that
has data, the data tables open, a CSV link downloads the figure, and the yearly report is built
in the background with a progress bar and downloaded from the same page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import (
    page,  # noqa: F401 - the Chromium page fixture
    pass_second_step,
)
from tests.factories import PASSWORD, authenticator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
#: Set PORTAL_SCREENSHOTS=/some/dir to keep what the browser shows, for a look.
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def test_reviewer_sees_drawn_charts_and_downloads_csv(live_server, page, world, reviewer) -> None:  # noqa: F811
    base = live_server.url
    authenticator(reviewer)
    page.goto(f"{base}/accounts/login/?next=/statistics/%3Fyear%3D2025")
    page.locator("input[name=username]").fill(reviewer.username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    pass_second_step(page, reviewer.username)
    assert page.url.endswith("/statistics/?year=2025")
    page.wait_for_selector("#chart-industry.is-drawn svg")
    drawn = page.locator(".stats-chart.is-drawn").count()
    assert drawn == 6  # every figure but the search terms, which have no data in this world
    assert page.locator("#figure-terms .empty").is_visible()
    page.locator("#figure-region summary").click()
    assert page.locator("#figure-region table tbody tr").first.inner_text().split() == [
        "南宁市",
        "2",
    ]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "statistics-dashboard.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#figure-region a[download]").click()
    assert download.value.suggested_filename == "statistics-region-20250101-20251231.csv"
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and "南宁市,2" in content.decode("utf-8-sig")

    # The yearly report: asked for on the dashboard, built by the task, offered for download.
    card = page.locator("#yearly-report")
    panel = card.locator("#report-progress")
    assert not panel.is_visible()
    card.get_by_role("button").click()
    panel.wait_for(state="visible")
    assert panel.locator("progress").is_visible()
    link = panel.locator("[data-build-download]")
    link.wait_for(state="visible", timeout=60_000)
    assert panel.locator("progress").evaluate("element => element.value") == 100
    if SHOTS:
        card.screenshot(path=str(Path(SHOTS) / "statistics-report-card.png"))
    with page.expect_download() as report:
        link.click()
    assert report.value.suggested_filename == "2025年度统计监测报告.pdf"
    assert Path(report.value.path()).read_bytes().startswith(b"%PDF-")
