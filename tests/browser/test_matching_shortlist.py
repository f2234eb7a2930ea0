"""In a real browser: a procurement officer opens a demand notice, sees
the ranked matching suppliers with their explanations, adds two of them to a new shortlist
(the "加入候选名单" control, answered in place without a reload), and downloads the
shortlist's PDF once its background build is ready."""

from __future__ import annotations

import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from portal.enterprises.models import Industry, QualificationType, Region
from portal.notices.models import Kind, NoticeIndexPage, NoticePage, NoticeQualification
from portal.shortlists.models import Shortlist
from tests.factories import PASSWORD, UserFactory
from tests.search_fixtures import qualification

pytestmark = [
    pytest.mark.browser,
    pytest.mark.engine,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Set PORTAL_SCREENSHOTS=/some/dir to keep the pages this test sees, for a look.
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")
FIT = "南宁星图导航科技有限公司"
SECOND = "柳州北斗精密定位设备有限公司"
UNFIT = "桂林稀土永磁材料有限公司"


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"shortlist-{name}.png"), full_page=True)


def _demand_notice(author) -> NoticePage:
    notice = NoticePage(
        title="北斗高精度定位终端采购",
        summary="采购北斗三号高精度定位终端 60 台，支持 RTK 厘米级定位与短报文。",
        body=[{"type": "paragraph", "value": "<p>要求北斗定位终端具备 RTK 高精度定位能力。</p>"}],
        kind=Kind.DEMAND,
        owner=author,
        deadline=timezone.now() + timedelta(days=30),
        region=Region.objects.get(code="450100"),
        live=False,
    )
    NoticeIndexPage.objects.get(slug="notices").add_child(instance=notice)
    notice.industries.set(Industry.objects.filter(code="D0101"))
    NoticeQualification.objects.create(
        notice=notice, qualification_type=QualificationType.objects.get(code="gjb9001c")
    )
    notice.save_revision(user=author).publish()
    notice.refresh_from_db()
    return notice


def _log_in(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def test_officer_adds_two_matches_to_a_shortlist_and_downloads_the_pdf(
    live_server, page, search_index, make_enterprise, tmp_path
) -> None:
    until = date.today() + timedelta(days=400)
    make_enterprise(
        FIT,
        industries=["D0101"],
        products=[{"name": "北斗高精度定位终端", "description": "RTK 厘米级定位"}],
        qualifications=[qualification("gjb9001c", until)],
    )
    make_enterprise(
        SECOND,
        region="450202",
        industries=["D0101"],
        products=[{"name": "北斗定位终端", "description": "短报文通信"}],
        qualifications=[qualification("gjb9001c", until)],
    )
    make_enterprise(
        UNFIT,
        industries=["D0101"],
        products=[{"name": "北斗定位终端", "description": ""}],  # fits, but lacks GJB 9001C
    )
    officer = UserFactory(username="b-officer", roles=["procurement"])
    notice = _demand_notice(officer)
    search_index()
    base = live_server.url

    _log_in(page, base, "b-officer", notice.url)
    assert page.get_by_role("heading", level=1).inner_text() == notice.title
    page.locator(f"a[href='/matching/notices/{notice.pk}/']").click()
    page.wait_for_url(f"**/matching/notices/{notice.pk}/")
    matches = page.locator("li.match")
    names = [matches.nth(i).locator("h2").inner_text() for i in range(matches.count())]
    assert names[:2] == [FIT, SECOND] or names[:2] == [SECOND, FIT]
    assert UNFIT not in names  # lacks the required qualification
    first = matches.filter(has_text=FIT)
    assert first.locator(".match__why mark").count() >= 1  # matched terms
    assert until.isoformat() in first.locator(".match__why").inner_text()  # qualification
    _shot(page, "matches")

    # The first: a new shortlist, named in the control (added without leaving the page).
    first.locator("summary").click()
    first.locator("select[name=shortlist]").select_option("new")
    first.locator("input[name=new_name]").fill("北斗终端候选")
    first.get_by_role("button").last.click()
    first.locator(".shortlist-add__result").wait_for(state="visible")
    assert FIT in first.locator(".shortlist-add__result").inner_text()
    assert page.url.endswith(f"/matching/notices/{notice.pk}/")
    shortlist = Shortlist.objects.get(owner=officer, name="北斗终端候选")

    # The second: the list just made is now offered in the other controls too.
    second = page.locator("li.match").filter(has_text=SECOND)
    second.locator("summary").click()
    assert second.locator("select[name=shortlist]").input_value() == str(shortlist.pk)
    second.get_by_role("button").last.click()
    second.locator(".shortlist-add__result").wait_for(state="visible")
    assert SECOND in second.locator(".shortlist-add__result").inner_text()
    _shot(page, "added")

    page.goto(f"{base}/shortlists/")
    page.get_by_role("link", name="北斗终端候选").click()
    page.wait_for_url(f"**/shortlists/{shortlist.pk}/")
    entries = page.locator(".shortlist-entry h3")
    assert sorted(entries.all_inner_texts()) == sorted([FIT, SECOND])
    _shot(page, "detail")

    page.get_by_role("button", name="导出 PDF").click()  # built in the background
    download_link = page.locator("#export-progress [data-build-download]")
    download_link.wait_for(state="visible", timeout=60_000)
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == "北斗终端候选.pdf"
    path = tmp_path / "shortlist.pdf"
    download.save_as(path)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    squeezed = "".join(text.split())
    assert FIT in squeezed and SECOND in squeezed and UNFIT not in squeezed
    assert "候选供应商名单" in squeezed and "GJB9001C" in squeezed
