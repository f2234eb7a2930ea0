"""Demo papers for ``seed_demo``: a white paper and a blue paper of 20+ printed pages each,
with tables and charts drawn from the registry's real counts (``demo_figures``).

``create_paper`` is also what the tests and ``bench/pdf.py`` use to make papers, so that they
exercise the same path an editor's "publish" takes (a revision, then ``publish``).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from classification.tiers import Tier

from .demo_figures import registry_figures
from .demo_text import blue_paper, white_paper
from .models import PaperIndexPage, PaperKind, PaperPage

WHITE = {
    "slug": "guangxi-cmi-white-paper-2026",
    "title": "广西军民融合发展白皮书（2026）",
    "subtitle": "民参军企业底数与供需对接机制建设情况",
    "kind": PaperKind.WHITE,
    "issuing_body": "广西壮族自治区发展和改革委员会",
    "issue_date": datetime.date(2026, 3, 18),
    "summary": (
        "本白皮书落实《广西战略性新兴产业创新发展实施方案》（桂政办发〔2016〕112号）专栏6第20项"
        "“适时发布地区军民融合白皮书蓝皮书”的要求，依据军民融合供需对接平台民参军企业数据库，"
        "介绍全区民参军企业的地区分布、产业方向、资质与能力建设情况，以及供需对接和信息分级分类发布"
        "机制的建设进展，并提出下一步工作建议。"
    ),
}
BLUE = {
    "slug": "guangxi-cmi-industry-blue-paper-2026",
    "title": "广西军民融合产业发展蓝皮书（2026）",
    "subtitle": "重点产业民参军能力评估报告",
    "kind": PaperKind.BLUE,
    "issuing_body": "广西壮族自治区工业和信息化厅",
    "issue_date": datetime.date(2026, 4, 20),
    "summary": (
        "本蓝皮书从产业视角评估广西新一代信息技术、智能装备制造、节能环保、新材料、新能源汽车、"
        "大健康六大方向和北斗导航、石墨烯、稀土等重点领域民参军企业的能力和资质结构，分析各设区市的"
        "产业特色，为军地双方遴选推介重点企业和优势技术提供参考。"
    ),
}


def paper_index() -> PaperIndexPage:
    """The index the data migration created (papers live under it)."""
    return PaperIndexPage.objects.get()


def create_paper(
    blocks: list[dict[str, Any]],
    *,
    slug: str,
    title: str,
    issuing_body: str = "广西壮族自治区发展和改革委员会",
    issue_date: datetime.date = datetime.date(2026, 3, 18),
    kind: str = PaperKind.WHITE,
    summary: str = "",
    subtitle: str = "",
    tier: str = Tier.PUBLIC,
    owner=None,
    publish: bool = True,
) -> PaperPage:
    """Add a paper under the index and, unless ``publish`` is False, publish its revision."""
    paper = PaperPage(
        title=title,
        slug=slug,
        subtitle=subtitle,
        issuing_body=issuing_body,
        issue_date=issue_date,
        kind=kind,
        summary=summary or title,
        body=json.dumps(blocks, ensure_ascii=False),
        tier=tier,
        owner=owner,
        live=False,
    )
    paper_index().add_child(instance=paper)
    revision = paper.save_revision(user=owner)
    if publish:
        revision.publish(user=owner)
        paper.refresh_from_db()
    return paper


FEATURED = {
    "slug": "guangxi-featured-enterprises-2026",
    "title": "2026年广西重点企业和优势技术推介目录",
    "subtitle": "遴选推介有关重点企业和优势技术",
    "kind": PaperKind.FEATURED,
    "issuing_body": "广西壮族自治区国防科学技术工业办公室",
    "issue_date": datetime.date(2026, 6, 30),
    "summary": (
        "按专栏6第20项“遴选推介有关重点企业和优势技术”，从平台认证企业中遴选的年度推介目录。"
    ),
}
#: The directory's categories: (industry code, category name, how many enterprises).
FEATURED_CATEGORIES = [("D0101", "北斗导航", 3), ("D0201", "工业机器人", 2), ("D04", "新材料", 3)]


def featured_directory(figures) -> list[dict[str, Any]]:
    """A chapter per category, each with the first approved public enterprises of it."""
    from classification import policy
    from portal.enterprises.models import Enterprise

    blocks: list[dict[str, Any]] = [
        {
            "type": "text",
            "value": "<p>推介对象从平台认证企业中遴选，按产业方向分类，附推介理由。</p>",
        }
    ]
    for code, name, count in FEATURED_CATEGORIES:
        # What a visitor sees: the directory is public.
        chosen = (
            policy.visible(Enterprise.objects.filter(industries=code), None)
            .prefetch_related("products")
            .order_by("pk")[:count]
        )
        entries = [
            {
                "uscc": enterprise.uscc,
                "technology": next((p.name for p in enterprise.products.all()), ""),
                "reason": f"{name}方向骨干企业，产品通过军品配套验证，具备批量供货能力。",
            }
            for enterprise in chosen
        ]
        if entries:
            blocks.append({"type": "chapter", "value": {"number": None, "heading": name}})
            blocks.append({"type": "featured", "value": {"category": name, "entries": entries}})
    return blocks


def seed(rng, stdout, options) -> list[PaperPage]:
    """The demo papers and the 推介目录; existing ones (same slug) are left as they are."""
    figures = registry_figures()
    papers = []
    for spec, build in ((WHITE, white_paper), (BLUE, blue_paper), (FEATURED, featured_directory)):
        existing = PaperPage.objects.filter(slug=spec["slug"]).first()
        if existing is not None:
            papers.append(existing)
            continue
        papers.append(create_paper(build(figures), **spec))
    origin = "registry counts" if figures.from_registry else "the plan's figures"
    stdout.write(f"Papers: {len(papers)} white/blue papers and directories ({origin}).")
    return papers
