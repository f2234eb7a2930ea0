"""export_enterprises writes the import format; export -> import changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from portal.enterprises.exporting import HEADERS
from portal.enterprises.importing import run_import
from portal.enterprises.models import Enterprise, EnterpriseVersion, Status
from portal.enterprises.snapshots import snapshot

from .importing_helpers import row, uscc, write_csv


def _run(path):
    with path.open("rb") as handle:
        return run_import(handle, path.name, dry_run=False)


@pytest.fixture
def imported(tmp_path):
    rows = [
        row(1, 企业简介='=HYPERLINK("http://x") <b>粗</b>', 联系电话="+86 771 5551234"),
        row(
            2,
            资质="保密资格三级:BM3:2020-01-01；ISO9001:Q1:",
            成立日期="2015-03-12",
            人员规模="20-99人",
            企业性质="国有",
            网址="www.gx-demo.cn",
            **{"注册资本（万元）": "500"},
        ),
    ]
    rows[0].update(
        {"成立日期": "", "注册资本（万元）": "1234.5", "人员规模": "", "企业性质": "", "网址": ""}
    )
    assert _run(write_csv(tmp_path / "in.csv", rows)).errors == []
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_changes_nothing(tmp_path, imported, suffix) -> None:
    before = {e.uscc: snapshot(e) for e in Enterprise.objects.all()}
    versions = EnterpriseVersion.objects.count()
    out = tmp_path / f"out{suffix}"
    call_command("export_enterprises", str(out), stdout=StringIO())
    report = _run(out)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 2, [])
    assert {e.uscc: snapshot(e) for e in Enterprise.objects.all()} == before
    assert EnterpriseVersion.objects.count() == versions


@pytest.mark.django_db
def test_xlsx_cells_are_text_never_formulas(tmp_path, imported) -> None:
    out = tmp_path / "out.xlsx"
    call_command("export_enterprises", str(out), stdout=StringIO())
    sheet = load_workbook(out).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    description = sheet.cell(row=2, column=HEADERS.index("企业简介") + 1)
    assert description.data_type == "s"
    assert description.value.startswith("=HYPERLINK")


@pytest.mark.django_db
def test_only_approved_by_default_and_all_for_staff(tmp_path, imported) -> None:
    Enterprise.objects.filter(uscc=uscc(2)).update(status=Status.REVOKED)
    out = tmp_path / "out.csv"
    call_command("export_enterprises", str(out), stdout=StringIO())
    assert uscc(2) not in out.read_text(encoding="utf-8-sig")
    call_command("export_enterprises", str(out), "--all", stdout=StringIO())
    assert uscc(2) in out.read_text(encoding="utf-8-sig")


def test_template_has_headers_and_guide(tmp_path) -> None:
    out = tmp_path / "template.xlsx"
    call_command("export_enterprises", str(out), "--template", stdout=StringIO())
    workbook = load_workbook(out)
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADERS
    assert workbook.worksheets[0].max_row == 1
    assert workbook.sheetnames[1] == "填写说明"
