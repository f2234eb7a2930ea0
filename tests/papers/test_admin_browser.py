"""In a real browser: an editor builds a short paper with a table and a chart in the Wagtail
admin and submits it; the classification officer and the publisher approve it; the PDF
downloads (Celery runs eagerly, so approval builds it before the answer)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from portal.papers.models import PaperIndexPage, PaperPage, PaperPdf, PdfStatus
from tests.browser.conftest import pass_second_step

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Browser-2026-pass"


def _user(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def _log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    pass_second_step(page, username)  # every admin user gives a code (enrolling the first time)


def _add_block(page, label: str) -> None:
    page.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name=re.compile(label)).click()


def _fill_table(page, index: int, rows: list[list[str]]) -> None:
    """Type into the index-th Handsontable grid (its master copy; the others are headers)."""
    table = page.locator(".ht_master .htCore").nth(index)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.locator("tbody tr").nth(r).locator("td").nth(c).dblclick()
            page.keyboard.type(value)
            page.keyboard.press("Enter")


def _footer_action(page, name: str) -> None:
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile(name)).click()
    page.wait_for_load_state()


def test_editor_builds_paper_moderators_approve_pdf_downloads(
    live_server, page, django_user_model
) -> None:
    base = live_server.url
    _user(django_user_model, "b-editor", "editor")
    _user(django_user_model, "b-officer", "classification_officer")
    _user(django_user_model, "b-publisher", "publisher")
    index = PaperIndexPage.objects.get()
    rows = [["设区市", "企业数"], ["南宁市", "12"], ["柳州市", "7"]]

    _log_in(page, base, "b-editor")
    page.goto(f"{base}/admin/pages/add/papers/paperpage/{index.pk}/")
    assert page.locator("select[name='tier']").count() == 0  # officers set tiers, not editors
    page.fill("#id_title", "浏览器编辑的白皮书")
    page.fill("#id_issuing_body", "广西壮族自治区发展和改革委员会")
    page.fill("#id_issue_date", "2026-05-01")
    page.fill("#id_summary", "编辑在后台建立的白皮书。")
    _add_block(page, "^(Chapter|章)$")
    page.fill("input[name='body-0-value-heading']", "总体情况")
    _add_block(page, "^(Table|表格)$")
    page.fill("input[name='body-1-value-caption']", "各市企业数量")
    _fill_table(page, 0, rows)
    _add_block(page, "^(Chart|图表)$")
    page.fill("input[name='body-2-value-caption']", "各市企业数量图")
    _fill_table(page, 1, rows)
    for header_choice in page.locator("select[name='table-header-choice']").all():
        header_choice.select_option("row")
    _footer_action(page, "^(提交给|Submit to)")
    edit_link = page.locator(".messages a[href*='/edit/']").first.get_attribute("href")
    paper_id = int(re.search(r"/admin/pages/(\d+)/edit/", edit_link).group(1))
    paper = PaperPage.objects.get(pk=paper_id)
    assert not paper.live and paper.current_workflow_state is not None

    for approver in ("b-officer", "b-publisher"):
        _log_in(page, base, approver)
        page.goto(f"{base}/admin/pages/{paper_id}/edit/")
        _footer_action(page, r"^(批准|Approve)\s*(和发布|and [Pp]ublish)?$")

    paper.refresh_from_db()
    assert paper.live
    blocks = [block.block_type for block in paper.body]
    assert blocks == ["chapter", "table", "chart"]
    assert paper.body[1].value["table"]["data"][1][:2] == ["南宁市", "12"]
    pdf = PaperPdf.objects.get(page=paper, revision=paper.live_revision)
    assert pdf.status == PdfStatus.READY, pdf.error

    page.context.clear_cookies()
    response = page.request.get(f"{base}/papers/{paper_id}/pdf/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    page.goto(f"{base}{paper.url}")
    assert page.locator("h1").inner_text() == "浏览器编辑的白皮书"
    page.wait_for_selector(".paper-chart__canvas.is-drawn")  # ECharts drew the chart
