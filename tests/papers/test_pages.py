"""The paper as a web page and in the index: chapter navigation, blocks, charts, the policy."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser

from classification.models import AccessLog
from classification.tiers import Tier
from portal.papers.models import PaperIndexPage
from tests.factories import login_verified

from .conftest import HEADINGS, TITLE


@pytest.mark.django_db
def test_index_exists_at_papers_under_home() -> None:
    index = PaperIndexPage.objects.get()
    assert index.url == "/papers/"
    assert index.get_parent().specific_class.__name__ == "HomePage"


@pytest.mark.django_db
def test_paper_page_renders_with_chapter_navigation(make_paper, client) -> None:
    paper = make_paper(build_pdf=False)
    response = client.get(paper.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{TITLE}</h1>" in html
    nav = re.search(r'<nav class="paper-toc".*?</nav>', html, re.S).group(0)
    for number, heading in enumerate(HEADINGS, start=1):
        assert f'href="#chapter-{number}"' in nav and heading in nav
        assert f'id="chapter-{number}"' in html
    assert 'aria-labelledby="paper-toc-title"' in nav
    # Table with caption and source, footnote linked both ways, quote, key figures.
    assert "各市北斗企业数量" in html and '<th scope="col">设区市</th>' in html
    assert 'href="#note-1"' in html and 'id="note-1"' in html and 'href="#note-ref-1"' in html
    assert "适时发布地区军民融合白皮书蓝皮书" in html and "paper-key-figures" in html
    assert f'href="{paper.pdf_url()}"' in html


@pytest.mark.django_db
def test_charts_carry_their_echarts_option_and_a_fallback(make_paper, client) -> None:
    paper = make_paper(build_pdf=False)
    html = client.get(paper.url).content.decode()
    scripts = re.findall(
        r'<script id="(chart-[^"]+-data)" type="application/json">(.*?)</script>', html
    )
    assert len(scripts) == 3
    options = [json.loads(body) for _id, body in scripts]
    assert [o["series"][0]["type"] for o in options] == ["bar", "line", "pie"]
    assert options[0]["xAxis"]["data"] == ["南宁市", "桂林市"]
    for data_id, _body in scripts:
        assert f'data-chart="{data_id}"' in html
    assert "vendor/echarts/echarts.min.js" in html and "js/paper-charts.js" in html
    assert html.count("<svg") == 3  # drawn server-side until ECharts takes over


@pytest.mark.django_db
def test_vetted_paper_is_404_for_anonymous_and_shown_to_vetted(
    make_paper, client, vetted_user
) -> None:
    paper = make_paper(tier=Tier.VETTED, build_pdf=False)
    assert client.get(paper.url).status_code == 404
    assert TITLE not in client.get("/papers/").content.decode()
    client.force_login(vetted_user)
    assert client.get(paper.url).status_code == 200
    assert TITLE in client.get("/papers/").content.decode()
    assert AccessLog.objects.filter(
        action="classification.paper.viewed", object_id=paper.pk
    ).exists()


@pytest.mark.django_db
def test_index_lists_filters_and_paginates(make_paper, client) -> None:
    from portal.papers.models import PAPERS_PER_PAGE, PaperKind

    for i in range(PAPERS_PER_PAGE + 1):
        make_paper([], build_pdf=False, title=f"白皮书{i}", kind=PaperKind.WHITE)
    make_paper([], build_pdf=False, title="蓝皮书一号", kind=PaperKind.BLUE)
    first = client.get("/papers/").content.decode()
    assert first.count('class="paper-card"') == PAPERS_PER_PAGE and 'rel="next"' in first
    blue = client.get("/papers/?kind=blue").content.decode()
    assert "蓝皮书一号" in blue and "白皮书0" not in blue


@pytest.mark.django_db
def test_empty_index_says_so(client) -> None:
    html = client.get("/papers/").content.decode()
    assert 'class="empty-state"' in html


@pytest.mark.django_db
def test_feeds_carry_public_papers_only_for_anonymous(make_paper, client, vetted_user) -> None:
    make_paper(build_pdf=False, title="公开白皮书")
    make_paper(build_pdf=False, title="认证级白皮书", tier=Tier.VETTED)
    rss = client.get("/papers/feed/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "公开白皮书" in body and "认证级白皮书" not in body
    atom = client.get("/papers/feed/atom/").content.decode()
    assert "<feed" in atom and "公开白皮书" in atom and "认证级白皮书" not in atom
    client.force_login(vetted_user)
    assert "认证级白皮书" in client.get("/papers/feed/").content.decode()


@pytest.mark.django_db
def test_sitemap_lists_public_papers_only(make_paper, rf) -> None:
    from portal.papers.sitemaps import PaperSitemap

    public = make_paper(build_pdf=False, title="公开白皮书")
    vetted = make_paper(build_pdf=False, title="认证级白皮书", tier=Tier.VETTED)
    draft = make_paper(build_pdf=False, title="草稿白皮书", publish=False)
    items = PaperSitemap().items()
    assert public in items and vetted not in items and draft not in items
    assert AnonymousUser().is_anonymous


@pytest.mark.django_db
def test_editors_get_the_paper_forms_in_the_admin(make_paper, client, django_user_model) -> None:
    admin = django_user_model.objects.create_superuser(
        "chief-editor", "ce@example.org", "Pw-2026-x!"
    )
    login_verified(client, admin)
    index = PaperIndexPage.objects.get()
    add = client.get(f"/admin/pages/add/papers/paperpage/{index.pk}/")
    assert add.status_code == 200
    html = add.content.decode()
    for field in ("issuing_body", "issue_date", "kind", "summary"):
        assert f'name="{field}"' in html
    assert 'id="body"' in html  # the StreamField's block editor mounts here
    # Release settings are not page content: shown, never a form field.
    assert 'name="tier"' not in html and 'name="field_tiers"' not in html
    paper = make_paper(build_pdf=False)
    edit = client.get(f"/admin/pages/{paper.pk}/edit/")
    assert edit.status_code == 200
    release = f"/admin/classification/item/papers/paperpage/{paper.pk}/"
    assert "release-panel" in edit.content.decode() and release in edit.content.decode()
