"""Excel and PDF exports: one row / one page per supplier the exporter may read, redacted
fields marked, suppliers they may no longer see left out and counted."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from classification import changes as release
from classification import sharing
from classification.models import AccessLog
from classification.tiers import Tier
from portal.accounts import roles
from portal.enterprises.models import Status
from portal.shortlists import changes
from portal.shortlists.xlsx import COLUMNS, REDACTED
from tests.factories import QualificationFactory, UserFactory

from .conftest import Cast, client_for, pdf_text

pytestmark = pytest.mark.django_db

HEADERS = [header for _key, header, _width in COLUMNS]


def _sheet(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    return workbook, [list(row) for row in workbook["候选供应商名单"].iter_rows(values_only=True)]


def test_xlsx_has_one_row_per_supplier(cast: Cast, export) -> None:
    QualificationFactory(
        enterprise=cast.first,
        type_id="gjb9001c",
        level="",
        valid_until=date.today() - timedelta(days=1),
    )
    response = export(client_for(cast.officer), cast.shortlist.pk, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    workbook, rows = _sheet(response.content)
    assert rows[0] == HEADERS
    by_name = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"南宁北斗导航科技有限公司", "柳州精密机械制造有限公司"}
    first = by_name["南宁北斗导航科技有限公司"]
    assert first["统一社会信用代码"] == cast.first.uscc
    assert first["所在地区"] == "南宁市 青秀区"
    assert first["行业"] == "北斗导航"
    assert "二级" in first["资质"] and "已过期" in first["资质"]
    assert "李明" in first["联系人"]
    assert first["备注"] == "报价合理，交付快"
    about = dict(workbook["说明"].iter_rows(values_only=True))
    assert about["名单名称"] == "北斗终端候选"
    assert about["未导出"] == "0"


def test_xlsx_cells_are_text_never_formulas(cast: Cast, export) -> None:
    entry = cast.shortlist.entries.get(enterprise=cast.second)
    changes.set_note(entry, '=HYPERLINK("http://evil.example","x")')
    response = export(client_for(cast.officer), cast.shortlist.pk, "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for row in workbook["候选供应商名单"].iter_rows() for c in row if c.value]
    note = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert note.data_type == "s"


def test_exports_leave_out_suppliers_the_exporter_can_no_longer_see(cast: Cast, export) -> None:
    officer = UserFactory(roles=[roles.CLASSIFICATION_OFFICER])
    release.set_tier(officer, cast.second, Tier.TARGETED)
    client = client_for(cast.officer)
    response = export(client, cast.shortlist.pk, "xlsx")
    _workbook, rows = _sheet(response.content)
    names = [row[0] for row in rows[1:] if row and row[0]]
    assert "柳州精密机械制造有限公司" not in names
    assert "南宁北斗导航科技有限公司" in names
    assert "另有 1 家供应商因您当前无权查看而未导出。" in names
    detail = client.get(reverse("shortlists:detail", args=[cast.shortlist.pk])).content.decode()
    assert "柳州精密机械制造有限公司" not in detail


def test_a_revoked_supplier_is_omitted_too(cast: Cast, export, tmp_path) -> None:
    type(cast.first).objects.filter(pk=cast.first.pk).update(status=Status.REVOKED)
    response = export(client_for(cast.officer), cast.shortlist.pk, "pdf")
    text = pdf_text(response.content, tmp_path)
    assert "南宁北斗导航科技有限公司" not in text
    assert "柳州精密机械制造有限公司" in text
    assert "另有1家供应商因您当前无权查看而未导出" in text


def test_fields_above_the_readers_reach_are_marked_redacted(cast: Cast, export) -> None:
    """A group member with registered clearance reads the list, not the contacts."""
    reader = UserFactory(username="reader")  # verified e-mail, no role: registered
    reader.groups.add(cast.team)
    changes.share(cast.shortlist, cast.team, sharing.VIEW)
    response = export(client_for(reader), cast.shortlist.pk, "xlsx")
    _workbook, rows = _sheet(response.content)
    first = dict(zip(HEADERS, rows[1], strict=True))
    assert first["企业名称"] == "南宁北斗导航科技有限公司"
    assert first["联系人"] == REDACTED
    assert "李明" not in str(rows)
    assert first["备注"] == "报价合理，交付快"


def test_pdf_cover_table_and_a_page_per_supplier(cast: Cast, export, tmp_path) -> None:
    response = export(client_for(cast.officer), cast.shortlist.pk, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    pages = text.split("\f")
    assert "候选供应商名单" in pages[0] and "北斗终端候选" in pages[0] and "officer1" in pages[0]
    assert "供应商一览" in pages[1]
    assert "南宁北斗导航科技有限公司" in pages[1] and "柳州精密机械制造有限公司" in pages[1]
    supplier_pages = [p for p in pages if "资质" in p and "备注" in p and "统一社会信用代码" in p]
    assert len(supplier_pages) >= 2
    first = next(p for p in supplier_pages if "南宁北斗导航科技有限公司" in p)
    assert "武器装备科研生产单位保密资格" in first and "二级" in first
    assert "报价合理，交付快" in first
    assert (date.today() + timedelta(days=730)).isoformat() in first
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "export.pdf")], capture_output=True, check=True, text=True
    ).stdout
    cjk = [line.split() for line in fonts.splitlines() if "CJK-SC" in line]
    assert {"Noto-Sans-CJK-SC", "Noto-Serif-CJK-SC"} <= {row[0].split("+")[-1] for row in cjk}
    assert all(row[-5] == "yes" for row in cjk)  # every CJK face embedded (subset)


def test_exports_of_vetted_suppliers_are_audited(cast: Cast, export) -> None:
    officer = UserFactory(roles=[roles.CLASSIFICATION_OFFICER])
    release.set_tier(officer, cast.first, Tier.VETTED)
    export(client_for(cast.officer), cast.shortlist.pk, "xlsx")
    entries = AccessLog.objects.filter(action="classification.enterprise.exported_xlsx")
    # Only the vetted supplier is logged: the shortlist's public suppliers are not audited.
    assert [(e.user_id, e.object_id) for e in entries] == [(cast.officer.pk, cast.first.pk)]


def test_an_empty_shortlist_exports_cleanly(cast: Cast, export, tmp_path) -> None:
    empty = changes.create(cast.officer, "空名单")
    client = client_for(cast.officer)
    _workbook, rows = _sheet(export(client, empty.pk, "xlsx").content)
    assert rows == [HEADERS]
    response = export(client, empty.pk, "pdf")
    assert "名单中没有您可以查看的供应商" in pdf_text(response.content, tmp_path)
