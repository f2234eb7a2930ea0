"""The demo papers: two papers of 20+ printed pages whose tables print the registry's counts."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from portal.enterprises.models.enterprise import Status
from portal.papers import demo
from portal.papers.demo_figures import registry_figures
from portal.papers.demo_text import white_paper
from portal.papers.models import PaperPage, PaperPdf, PdfStatus
from portal.papers.outline import outline

from .conftest import pdf_pages, pdftotext, require_poppler, squash


@pytest.mark.django_db
def test_figures_count_approved_enterprises_by_city_and_industry(make_enterprise) -> None:
    make_enterprise("南宁北斗科技有限公司", region="450103", industries=["D0101"])
    make_enterprise("桂林电子设备有限公司", region="450302", industries=["D01", "D02"])
    make_enterprise(
        "柳州草稿机械有限公司", region="450202", industries=["D02"], status=Status.DRAFT
    )
    figures = registry_figures()
    assert figures.from_registry and figures.total == 2
    assert (
        figures.city("南宁市") == 1 and figures.city("桂林市") == 1 and figures.city("柳州市") == 0
    )
    assert figures.industry("新一代信息技术") == 2  # D0101 counts under its parent D01
    assert figures.industry("智能装备制造") == 1
    assert dict(figures.by_focus)["北斗导航"] == 1


@pytest.mark.django_db
def test_empty_registry_falls_back_to_the_seed(db) -> None:
    figures = registry_figures()
    assert not figures.from_registry and "实施方案" in figures.source


@pytest.mark.django_db
def test_seed_makes_two_long_papers_and_the_featured_directory_once(
    make_enterprise, django_capture_on_commit_callbacks
) -> None:
    require_poppler()
    chosen = make_enterprise("南宁北斗科技有限公司", region="450103", industries=["D0101"])
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        *papers, directory = demo.seed(random.Random(1), out, {})
    assert [p.title for p in papers] == [demo.WHITE["title"], demo.BLUE["title"]]
    assert directory.title == demo.FEATURED["title"]
    assert list(chosen.recommendations.values_list("category", flat=True)) == ["北斗导航"]
    directory_pdf = PaperPdf.objects.get(page=directory)
    assert directory_pdf.status == PdfStatus.READY, directory_pdf.error
    assert "南宁北斗科技有限公司" in squash(pdftotext(Path(directory_pdf.file.path)))
    for paper in papers:
        pdf = PaperPdf.objects.get(page=paper)
        assert pdf.status == PdfStatus.READY, pdf.error
        path = Path(pdf.file.path)
        assert pdf_pages(path) >= 20
        assert paper.title in squash(pdftotext(path, 1))
        text = squash(pdftotext(path))
        assert "南宁市1100.0%" in text  # table 1: the one approved enterprise, in Nanning
    assert "registry counts" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(random.Random(1), io.StringIO(), {})
    assert PaperPage.objects.count() == 3 and PaperPdf.objects.count() == 3


@pytest.mark.django_db
def test_fallback_paper_draws_every_chart(db) -> None:
    """With an empty registry the paper still prints every table and chart (at zero)."""
    blocks = white_paper(registry_figures())
    page = PaperPage(body=json.dumps(blocks, ensure_ascii=False))
    items = [item for chapter in outline(page).all for item in chapter.items]
    charts = [item for item in items if item.block.block_type == "chart"]
    assert len(charts) == 4  # by city, by industry, focus fields, the plan's targets
    assert all(item.chart_svg and not item.chart_error for item in charts)
