"""In a real browser: a paper's PDF that is still being built shows a waiting page that polls
its status (no meta refresh) and offers the download as soon as the worker has built it."""

from __future__ import annotations

import pytest

from portal.papers import cache
from portal.papers.models import PaperPdf
from portal.papers.tasks import build_paper_pdf
from tests.papers.conftest import _private_media, make_paper  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_waiting_page_polls_and_then_offers_the_download(
    live_server,
    page,
    make_paper,  # noqa: F811
    monkeypatch,
) -> None:
    paper = make_paper(build_pdf=False)
    PaperPdf.objects.all().delete()
    monkeypatch.setattr(cache, "_queue", lambda pdf: None)  # the worker is busy elsewhere

    response = page.goto(f"{live_server.url}{paper.pdf_url()}")
    assert response.status == 202
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    panel = page.locator("#pdf-progress")
    assert panel.is_visible() and panel.locator("progress").is_visible()
    link = panel.locator("[data-build-download]")
    assert not link.is_visible()
    page.wait_for_timeout(1500)  # a poll or two: still building
    assert not link.is_visible()

    pdf = PaperPdf.objects.get(page=paper)
    assert build_paper_pdf(paper.pk, pdf.revision_id) == "ready"  # the worker gets to it
    link.wait_for(state="visible", timeout=10_000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
