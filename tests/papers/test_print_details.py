"""Small things of the paper PDF and admin: a long page address wraps inside the margin in
版本说明, a caption the editor numbered is not numbered twice, and the release panel sits on the
content tab as on notices."""

from __future__ import annotations

import re

import pytest

from portal.notices.models import NoticePage
from portal.papers.models import PaperPage
from portal.papers.outline import caption_text
from portal.papers.pdf import render_html
from tests.factories import UserFactory, login_verified

from .conftest import pdftotext, require_poppler, squash


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("图 1 各市北斗企业数量", "各市北斗企业数量"),
        ("表2：各市北斗企业数量", "各市北斗企业数量"),
        ("图3-1、产业构成", "产业构成"),
        ("Figure 4. Firms by city", "Firms by city"),
        ("图表中的企业数量", "图表中的企业数量"),  # no number: nothing to strip
        ("各市北斗企业数量", "各市北斗企业数量"),
        ("图 5", "图 5"),  # nothing left after the number: keep what was typed
    ],
)
def test_a_typed_caption_number_is_stripped(typed: str, shown: str) -> None:
    assert caption_text(typed) == shown


TABLE = {
    "type": "table",
    "value": {
        "caption": "表 1 各市北斗企业数量",
        "table": {
            "data": [["设区市", "企业数"], ["南宁市", "12"]],
            "first_row_is_table_header": True,
        },
        "source": "平台数据库",
    },
}


@pytest.mark.django_db
def test_captions_are_numbered_once_and_the_address_wraps(make_paper, tmp_path) -> None:
    require_poppler()
    blocks = [{"type": "chapter", "value": {"heading": "总体情况"}}, TABLE]
    paper = make_paper(blocks, slug="广西壮族自治区军民融合产业发展白皮书二〇二六年版全文")
    html = render_html(paper)
    assert "表 1　各市北斗企业数量" in html and "表 1　表 1" not in html
    assert f"{paper.url}" not in html or "%E5" not in html  # printed as people read it
    assert "广西壮族自治区军民融合产业发展白皮书二〇二六年版全文" in html
    pdf = paper.pdfs.get()
    text = squash(pdftotext(pdf.file.path))
    assert "表1各市北斗企业数量" in text and "表1表1" not in text
    # The whole address is on the colophon page (wrapped, not cut off at the margin).
    assert "广西壮族自治区军民融合产业发展白皮书二〇二六年版全文" in text


def test_the_release_panel_is_on_the_content_tab_like_notices() -> None:
    for model in (PaperPage, NoticePage):
        content = [type(panel).__name__ for panel in model.content_panels]
        settings = [type(panel).__name__ for panel in getattr(model, "settings_panels", [])]
        assert "ReleasePanel" in content and "ReleasePanel" not in settings, model


@pytest.mark.django_db
def test_the_paper_edit_view_shows_the_release_panel_on_the_content_tab(client, make_paper) -> None:
    paper = make_paper(build_pdf=False)
    login_verified(client, UserFactory(username="paper-officer", roles=["classification_officer"]))
    html = client.get(f"/admin/pages/{paper.pk}/edit/").content.decode()
    # The tab sections in order (内容, 推广, 设置): the panel lies inside the first.
    tabs = [match.start() for match in re.finditer(r'id="tab-(?!label)', html)]
    assert len(tabs) >= 2
    assert tabs[0] < html.index("release-panel") < tabs[1]
