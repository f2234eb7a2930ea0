"""The PDF of a paper: built by the Celery task, text and page numbers checked with poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from classification.models import AccessLog
from classification.tiers import Tier
from portal.papers import pdf as pdf_module
from portal.papers.models import PaperPdf, PdfStatus
from portal.papers.tasks import build_paper_pdf
from tests.factories import release

from .conftest import HEADINGS, TITLE, pdf_pages, pdftotext, require_poppler, squash


@pytest.fixture
def built(paper) -> Path:
    require_poppler()
    pdf = PaperPdf.objects.get(page=paper, revision=paper.live_revision)
    assert pdf.status == PdfStatus.READY, pdf.error
    return Path(pdf.file.path)


@pytest.mark.django_db
def test_publishing_builds_the_pdf_with_title_cover_and_chapters(paper, built) -> None:
    text = pdftotext(built)
    assert TITLE in text
    for heading in HEADINGS:
        assert heading in text
    cover = squash(pdftotext(built, 1))  # the cover wraps and letter-spaces its lines
    assert (
        TITLE in cover and "广西壮族自治区发展和改革委员会" in cover and "二〇二六年三月" in cover
    )
    last = pdf_pages(built)
    assert PaperPdf.objects.get(page=paper).pages == last
    colophon = pdftotext(built, last)
    assert "版本说明" in colophon and "发布单位" in colophon
    assert f"第 {last} 页 / 共 {last} 页" in colophon


@pytest.mark.django_db
def test_table_of_contents_carries_the_right_page_numbers(paper, built) -> None:
    toc_page = next(
        n for n in range(1, 5) if squash(pdftotext(built, n)).startswith(squash(TITLE) + "目录")
    )
    toc = pdftotext(built, toc_page)
    for heading in HEADINGS:
        match = re.search(rf"{heading}\s*\.+\s*(\d+)", toc)
        assert match, f"{heading} not in the contents:\n{toc}"
        page = int(match.group(1))
        body = pdftotext(built, page)
        # The chapter starts on that page: its heading is in the body, under a running header
        # naming it; the page before still belongs to the previous part.
        assert re.search(rf"第.章\s+{heading}\s*\n", body), body
        assert heading not in pdftotext(built, page - 1)


@pytest.mark.django_db
def test_running_header_names_paper_and_chapter(paper, built) -> None:
    toc = pdftotext(built, 3)
    assert squash(toc).startswith(squash(TITLE) + "目录")
    first_chapter = int(re.search(rf"{HEADINGS[0]}\s*\.+\s*(\d+)", toc).group(1))
    # A page inside chapter one: the header's left box is the title, its right box the chapter.
    left, right = [line for line in pdftotext(built, first_chapter + 1).splitlines() if line][:2]
    assert left == TITLE and right == f"第一章 {HEADINGS[0]}"


@pytest.mark.django_db
def test_cjk_fonts_are_embedded(built) -> None:
    fonts = subprocess.run(["pdffonts", str(built)], check=True, capture_output=True, text=True)
    rows = [line.split() for line in fonts.stdout.splitlines()[2:] if line.strip()]
    names = [row[0].split("+", 1)[-1] for row in rows]
    assert "Noto-Serif-CJK-SC" in names and "Noto-Sans-CJK-SC-Bold" in names
    for row in rows:
        emb = row[-5]  # columns: ... emb sub uni object ID
        assert emb == "yes", f"{row[0]} is not embedded"


@pytest.mark.django_db
def test_footnote_sits_at_the_foot_of_its_page(built) -> None:
    for number in range(1, pdf_pages(built) + 1):
        text = pdftotext(built, number)
        if "供需对接平台按四级发布信息" in text:
            assert "1. 公开、注册、认证、定向。" in text
            return
    pytest.fail("the footnoted paragraph is missing")


@pytest.mark.django_db
def test_download_serves_the_cached_file_without_rebuilding(
    paper, built, client, monkeypatch
) -> None:
    calls = []
    monkeypatch.setattr("portal.papers.tasks.render_pdf", lambda *a: calls.append(a))
    response = client.get(paper.pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == built.read_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert client.get(paper.pdf_url()).status_code == 200
    assert build_paper_pdf(paper.pk, paper.live_revision_id) == "cached"
    assert calls == [] and PaperPdf.objects.filter(page=paper).count() == 1


@pytest.mark.django_db
def test_a_new_revision_gets_its_own_pdf(
    paper, built, client, django_capture_on_commit_callbacks
) -> None:
    first = PaperPdf.objects.get(page=paper)
    paper.title = "广西北斗产业军民融合白皮书（修订版）"
    with django_capture_on_commit_callbacks(execute=True):
        paper.save_revision().publish()
    paper.refresh_from_db()
    pdfs = PaperPdf.objects.filter(page=paper).order_by("pk")
    assert pdfs.count() == 2 and pdfs[1].revision_id == paper.live_revision_id
    assert pdfs[1].status == PdfStatus.READY and pdfs[0].pk == first.pk
    assert "修订版" in squash(pdftotext(Path(pdfs[1].file.path), 1))
    assert "修订版" not in squash(pdftotext(Path(first.file.path), 1))
    response = client.get(paper.pdf_url())
    assert b"".join(response.streaming_content) == Path(pdfs[1].file.path).read_bytes()


@pytest.mark.django_db
def test_while_building_the_download_answers_202_and_retries(make_paper, client) -> None:
    paper = make_paper(build_pdf=False)  # publish queued the build; the task has not run yet
    pdf = PaperPdf.objects.get(page=paper)
    assert pdf.status == PdfStatus.BUILDING
    response = client.get(paper.pdf_url())
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    # The page polls a JSON status (no meta refresh) and offers the download when it is ready.
    assert 'http-equiv="refresh"' not in html
    status_url = reverse("papers:pdf_status", args=[paper.pk])
    assert f'data-status-url="{status_url}"' in html and "js/build-progress.js" in html
    assert "正在生成" in html or "Generating the PDF" in html
    assert client.get(status_url).json() == {
        "state": "building",
        "progress": None,
        "message": client.get(status_url).json()["message"],
        "download_url": None,
    }
    assert build_paper_pdf(paper.pk, pdf.revision_id) == "ready"
    ready = client.get(status_url).json()
    assert ready["state"] == "ready" and ready["download_url"] == paper.pdf_url()
    assert client.get(paper.pdf_url()).status_code == 200


@pytest.mark.django_db
def test_the_pdf_status_is_404_where_the_pdf_is(make_paper, client) -> None:
    paper = make_paper(tier=Tier.VETTED, build_pdf=False)
    assert client.get(reverse("papers:pdf_status", args=[paper.pk])).status_code == 404


@pytest.mark.django_db
def test_first_request_queues_the_build_when_none_exists(
    make_paper, client, django_capture_on_commit_callbacks
) -> None:
    paper = make_paper(build_pdf=False)
    PaperPdf.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(paper.pdf_url())
    assert response.status_code == 202 and len(callbacks) == 1
    assert PaperPdf.objects.get(page=paper).status == PdfStatus.READY
    assert client.get(paper.pdf_url()).status_code == 200


@pytest.mark.django_db
def test_a_failed_build_is_reported_and_queued_again(
    make_paper, client, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def broken(*args):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr("portal.papers.tasks.render_pdf", broken)
    paper = make_paper()
    pdf = PaperPdf.objects.get(page=paper)
    assert pdf.status == PdfStatus.FAILED and "layout exploded" in pdf.error
    monkeypatch.setattr("portal.papers.tasks.render_pdf", pdf_module.render_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(paper.pdf_url())
    assert response.status_code == 202  # this answer was decided before the rebuild ran
    assert client.get(paper.pdf_url()).status_code == 200


@pytest.mark.django_db
def test_vetted_paper_pdf_is_404_for_anonymous_and_audited_for_vetted(
    make_paper, client, vetted_user, registered_user
) -> None:
    paper = make_paper(tier=Tier.VETTED)
    assert client.get(paper.pdf_url()).status_code == 404
    client.force_login(registered_user)
    assert client.get(paper.pdf_url()).status_code == 404
    client.force_login(vetted_user)
    assert client.get(paper.pdf_url()).status_code == 200
    log = AccessLog.objects.get(action="classification.paper.downloaded")
    assert log.object_id == paper.pk and log.user == vetted_user


@pytest.mark.django_db
def test_pdf_field_tier_can_be_raised_above_the_page(
    make_paper, client, registered_user, vetted_user
) -> None:
    paper = make_paper(tier=Tier.REGISTERED)
    release(paper, paper.tier, {"pdf": Tier.VETTED})
    client.force_login(registered_user)
    page = client.get(paper.url)
    assert page.status_code == 200 and paper.pdf_url() not in page.content.decode()
    assert client.get(paper.pdf_url()).status_code == 404
    client.force_login(vetted_user)
    assert client.get(paper.pdf_url()).status_code == 200


@pytest.mark.django_db
def test_unknown_and_unpublished_papers_are_404(make_paper, client) -> None:
    draft = make_paper(publish=False, build_pdf=False)
    assert client.get(draft.pdf_url()).status_code == 404
    assert client.get("/papers/999999/pdf/").status_code == 404
