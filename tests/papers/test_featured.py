"""The yearly 推介目录: recommendations follow the published directory; badge, facet, PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from wagtail.blocks import StreamBlockValidationError

from classification.tiers import Tier
from portal.enterprises.models import Recommendation
from portal.enterprises.search_indexes import present
from portal.enterprises.supplier_search import supplier_search
from portal.papers.blocks import PaperStreamBlock
from portal.papers.models import PaperKind, PaperPdf, PdfStatus
from tests.factories import EnterpriseFactory, release

from .conftest import pdftotext, require_poppler, squash

pytestmark = pytest.mark.django_db


def directory_blocks(*enterprises, category: str = "北斗导航") -> list[dict]:
    return [
        {"type": "chapter", "value": {"number": None, "heading": "重点企业"}},
        {
            "type": "featured",
            "value": {
                "category": category,
                "entries": [
                    {
                        "uscc": enterprise.uscc,
                        "technology": "北斗高精度定位终端",
                        "reason": "掌握 RTK 核心算法，已批量配套部队。",
                    }
                    for enterprise in enterprises
                ],
            },
        },
    ]


@pytest.fixture
def chosen():
    return EnterpriseFactory(name="南宁推介北斗科技有限公司")


@pytest.fixture
def directory(make_paper, chosen):
    return make_paper(
        directory_blocks(chosen),
        kind=PaperKind.FEATURED,
        title="2026年广西重点企业和优势技术推介目录",
    )


def test_publishing_the_directory_recommends_its_enterprises(directory, chosen, client):
    row = Recommendation.objects.get(enterprise=chosen)
    assert (row.paper_id, row.category) == (directory.pk, "北斗导航")
    page = client.get(f"/enterprises/{chosen.pk}/").content.decode()
    assert "2026年广西重点企业和优势技术推介目录" in page and "掌握 RTK 核心算法" in page


def test_a_withdrawn_directory_recommends_nobody(directory, chosen):
    directory.unpublish()
    assert not Recommendation.objects.filter(enterprise=chosen).exists()


def test_a_directory_not_released_to_the_public_gives_no_badge(directory, chosen, client):
    release(directory, Tier.VETTED)
    assert Recommendation.objects.filter(enterprise=chosen).exists()
    assert not Recommendation.objects.filter(Recommendation.public(), enterprise=chosen).exists()
    assert "推介目录" not in client.get(f"/enterprises/{chosen.pk}/").content.decode()


def test_the_badge_and_the_facet_in_search(search_index, make_paper):
    chosen = EnterpriseFactory(name="南宁推介北斗科技有限公司")
    other = EnterpriseFactory(name="南宁普通北斗科技有限公司")
    make_paper(directory_blocks(chosen), kind=PaperKind.FEATURED, build_pdf=False)
    search_index()
    everyone = supplier_search(None, "北斗")
    assert {hit.id: present(hit)["featured"] for hit in everyone.hits} == {
        chosen.pk: True,
        other.pk: False,
    }
    assert {v.key: v.count for v in everyone.facets["featured"]} == {"yes": 1}
    only = supplier_search(None, "北斗", {"featured": ["yes"]})
    assert [hit.id for hit in only.hits] == [chosen.pk]


def test_an_entry_must_name_an_approved_enterprise():
    block = PaperStreamBlock()
    value = block.to_python(
        [
            {
                "type": "featured",
                "value": {
                    "category": "北斗导航",
                    "entries": [{"uscc": "91450103MA00000000", "technology": "", "reason": "x"}],
                },
            }
        ]
    )
    with pytest.raises(StreamBlockValidationError):
        block.clean(value)


def test_the_directory_pdf_builds_with_its_enterprises(directory):
    require_poppler()
    pdf = PaperPdf.objects.get(page=directory, revision=directory.live_revision)
    assert pdf.status == PdfStatus.READY, pdf.error
    text = squash(pdftotext(Path(pdf.file.path)))
    assert "南宁推介北斗科技有限公司" in text and "掌握RTK核心算法" in text
