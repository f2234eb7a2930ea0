"""``manage.py yearly_report`` builds the 年度统计监测报告 from the dashboard's figures."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal.statistics.report import HEADINGS
from tests.papers.conftest import pdf_pages, pdftotext, require_poppler, squash


@pytest.fixture
def report(world, tmp_path) -> Path:
    require_poppler()
    path = tmp_path / "nested" / "report.pdf"
    call_command("yearly_report", year=2025, output=str(path))
    return path


def test_report_has_title_chapters_and_figures(report) -> None:
    assert report.read_bytes().startswith(b"%PDF-")
    assert not list(report.parent.glob("*.part"))
    text = squash(pdftotext(report))
    assert "2025年度统计监测报告" in text
    assert "目录" in text and "编制说明" in text
    for heading in HEADINGS.values():
        assert heading in text, heading
    assert "南宁市" in text and "北斗终端采购需求" in text
    assert "某型雷达部件定向需求" not in text  # a targeted notice is not named in print
    assert "第2页/共" in text
    assert pdf_pages(report) >= 10  # cover, summary, contents, seven chapters, colophon


def test_report_embeds_the_cjk_fonts(report) -> None:
    fonts = subprocess.run(["pdffonts", str(report)], check=True, capture_output=True, text=True)
    rows = [line.split() for line in fonts.stdout.splitlines()[2:] if line.strip()]
    names = {row[0].split("+", 1)[-1] for row in rows}
    assert {"Noto-Sans-CJK-SC", "Noto-Serif-CJK-SC"} <= names
    assert all(row[-5] == "yes" for row in rows)


@pytest.mark.django_db
def test_refused_year_exits_non_zero(tmp_path) -> None:
    with pytest.raises(CommandError, match="--year"):
        call_command("yearly_report", year=1999, output=str(tmp_path / "r.pdf"))
    with pytest.raises(CommandError, match="folder"):
        call_command("yearly_report", year=2025, output=str(tmp_path))
