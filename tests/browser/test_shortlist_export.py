"""In a real browser: a procurement officer adds a supplier from far down the directory's
results without the page reloading (the scroll position stays), then exports the shortlist to
PDF: the page shows the build's progress (polled JSON, no reload) and offers the download."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from portal.shortlists import changes
from portal.shortlists.models import Shortlist
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.engine,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Set PORTAL_SCREENSHOTS=/some/dir to keep the pages this test sees, for a look.
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")
#: Enough suppliers that the PDF (a page each) takes a few seconds to lay out.
ON_LIST = 40


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"export-{name}.png"), full_page=False)


def _log_in(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def test_officer_adds_without_reload_and_exports_a_pdf_with_progress(
    live_server, page, search_index, make_enterprise, tmp_path
) -> None:
    for number in range(25):  # a first page of 20 results and a second one, none listed yet
        make_enterprise(f"北斗导航终端制造厂{number:02d}", industries=["D0101"])
    officer = UserFactory(username="x-officer", roles=["procurement"])
    shortlist = changes.create(officer, "北斗终端大名单")
    for number in range(ON_LIST):
        listed = make_enterprise(f"石墨烯新材料有限公司{number:02d}", industries=["D04"])
        changes.add(officer, shortlist, listed, "交付周期短")
    search_index()
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 700})

    # Add the last result of a full page of results, far below the fold.
    _log_in(page, base, "x-officer", "/suppliers/?q=北斗导航终端")
    hits = page.locator("article.result")
    assert hits.count() == 20
    page.evaluate("window.stillThisPage = true")
    target = hits.nth(19)
    name = target.locator("h2").inner_text()
    assert not target.locator("summary .badge").is_visible()  # not on a list yet
    target.locator("summary").scroll_into_view_if_needed()
    target.locator("summary").click()
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 1000
    target.locator("select[name=shortlist]").select_option(str(shortlist.pk))
    target.get_by_role("button", name="加入").click()
    result = target.locator(".shortlist-add__result")
    result.wait_for(state="visible")
    assert "is-error" not in (result.get_attribute("class") or "")
    assert name in result.inner_text() and "北斗终端大名单" in result.inner_text()
    assert page.evaluate("window.stillThisPage") is True  # no reload, no navigation
    assert abs(page.evaluate("window.scrollY") - scrolled) < 2
    assert target.locator("summary .badge").is_visible()
    assert "北斗终端大名单" in target.locator(".shortlist-add__on").inner_text()
    assert shortlist.entries.filter(enterprise__name=name).exists()
    _shot(page, "added")

    # Export the list: the progress shows on the page, then the download.
    page.goto(f"{base}/shortlists/{shortlist.pk}/")
    page.evaluate("window.stillThisPage = true")
    panel = page.locator("#export-progress")
    assert not panel.is_visible()
    page.get_by_role("button", name="导出 PDF").click()
    panel.wait_for(state="visible")
    bar = panel.locator("progress")
    download_link = panel.locator("[data-build-download]")
    seen: list[float] = []
    deadline = time.monotonic() + 60
    while not download_link.is_visible() and time.monotonic() < deadline:
        seen.append(bar.evaluate("element => element.value"))
        if 0 < seen[-1] < 100 and len([v for v in seen if 0 < v < 100]) == 1:
            _shot(page, "progress")
        time.sleep(0.1)
    assert download_link.is_visible(), panel.inner_text()
    assert any(0 < value < 100 for value in seen), seen  # the bar moved before it filled
    assert bar.evaluate("element => element.value") == 100
    assert panel.locator("[data-build-message]").inner_text()
    assert page.evaluate("window.stillThisPage") is True
    _shot(page, "ready")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == "北斗终端大名单.pdf"
    path = tmp_path / "shortlist.pdf"
    download.save_as(path)
    text = "".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )
    assert "北斗终端大名单" in text and name in text and "交付周期短" in text
    assert Shortlist.objects.get(pk=shortlist.pk).exports.get().is_ready
