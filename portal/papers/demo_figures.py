"""The numbers the demo papers print: real counts from the enterprise registry when it holds
approved enterprises, the Guangxi plan's own figures (桂政办发〔2016〕112号) otherwise.

Kept apart from the prose (``demo_text``) so that the tables and charts of a paper can be
checked against the database in one place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone

from classification import policy

#: The Guangxi plan's quantified targets for the 13th Five-Year period (第一部分“总体要求”).
SEED_TARGETS = [
    ("新兴产业园区", 20, "个"),
    ("百亿元新兴产业园区", 10, "个"),
    ("特色新兴产业集聚区", 5, "个"),
    ("产业技术研究院和国家级创新平台", 10, "家"),
]
SEED_VALUE_ADDED = 3600  # 亿元, 新兴产业增加值目标
SEED_SHARE = 15  # %, 占地区生产总值比重目标

CITIES = [
    ("450100", "南宁市"),
    ("450200", "柳州市"),
    ("450300", "桂林市"),
    ("450400", "梧州市"),
    ("450500", "北海市"),
    ("450600", "防城港市"),
    ("450700", "钦州市"),
    ("450800", "贵港市"),
    ("450900", "玉林市"),
    ("451000", "百色市"),
    ("451100", "贺州市"),
    ("451200", "河池市"),
    ("451300", "来宾市"),
    ("451400", "崇左市"),
]
INDUSTRIES = [
    ("D01", "新一代信息技术"),
    ("D02", "智能装备制造"),
    ("D03", "节能环保"),
    ("D04", "新材料"),
    ("D05", "新能源汽车"),
    ("D06", "大健康"),
]
#: Enterprises listed in the demo papers' appendix (public profiles only).
FEATURED = 40
FOCUS = [("D0101", "北斗导航"), ("D0401", "石墨烯"), ("D0402", "稀土")]


@dataclass
class Figures:
    """Counts of approved (认证) enterprises; ``from_registry`` says where they came from."""

    from_registry: bool
    total: int = 0
    by_city: list[tuple[str, int]] = field(default_factory=list)
    by_industry: list[tuple[str, int]] = field(default_factory=list)
    by_focus: list[tuple[str, int]] = field(default_factory=list)
    by_qualification: list[tuple[str, int]] = field(default_factory=list)
    by_ownership: list[tuple[str, int]] = field(default_factory=list)
    by_founding: list[tuple[str, int]] = field(default_factory=list)
    by_sub_industry: list[tuple[str, str, int]] = field(default_factory=list)
    featured: list[tuple[str, str, str]] = field(default_factory=list)
    source: str = ""

    def city(self, name: str) -> int:
        return dict(self.by_city).get(name, 0)

    def industry(self, name: str) -> int:
        return dict(self.by_industry).get(name, 0)


def _founding_periods(years: list[int]) -> list[tuple[str, int]]:
    bands = [("2000年以前", 0, 1999), ("2000—2009年", 2000, 2009), ("2010—2015年", 2010, 2015)]
    bands += [("2016—2020年", 2016, 2020), ("2021年以来", 2021, 9999)]
    return [(label, sum(1 for y in years if lo <= y <= hi)) for label, lo, hi in bands]


def registry_figures() -> Figures:
    """Counts from the registry's approved enterprises, or the plan's figures when it is empty."""
    from portal.enterprises.models import Enterprise, Qualification
    from portal.enterprises.models.enterprise import Status

    approved = Enterprise.objects.filter(status=Status.APPROVED)
    total = approved.count()
    if not total:
        # An empty registry (a fresh site): the same tables, at zero, under the plan's names.
        return Figures(
            from_registry=False,
            by_city=[(name, 0) for _code, name in CITIES],
            by_industry=[(name, 0) for _code, name in INDUSTRIES],
            by_focus=[(name, 0) for _code, name in FOCUS],
            source="《广西战略性新兴产业创新发展实施方案》",
        )
    by_city = [
        (name, approved.filter(region__code__startswith=code[:4]).count()) for code, name in CITIES
    ]
    by_industry = [
        (
            name,
            approved.filter(Q(industries__code=code) | Q(industries__parent_id=code))
            .distinct()
            .count(),
        )
        for code, name in INDUSTRIES
    ]
    by_focus = [(name, approved.filter(industries__code=code).count()) for code, name in FOCUS]
    from portal.enterprises.models import Industry

    subs = Industry.objects.filter(parent__isnull=False).select_related("parent")
    counts = dict(
        approved.filter(industries__parent__isnull=False)
        .values_list("industries__code")
        .annotate(n=Count("pk", distinct=True))
    )
    by_sub = [(sub.parent.name, sub.name, counts.get(sub.code, 0)) for sub in subs]
    featured = []
    # Only what an anonymous reader may see: the paper is public, its appendix must be too.
    public = policy.visible(approved, AnonymousUser()).select_related("region", "region__parent")
    for enterprise in public.prefetch_related("industries")[:FEATURED]:
        names = "、".join(i.name for i in list(enterprise.industries.all())[:2])
        featured.append((enterprise.name, enterprise.region.full_name, names))
    today = timezone.localdate()
    valid = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    quals = (
        Qualification.objects.filter(valid, enterprise__in=approved)
        .values("type__name")
        .annotate(n=Count("enterprise", distinct=True))
        .order_by("-n", "type__name")
    )
    labels = {"state": "国有", "private": "民营", "foreign": "外资", "mixed": "混合所有制"}
    ownership = Counter(approved.exclude(ownership="").values_list("ownership", flat=True))
    years = [d.year for d in approved.exclude(founded_on=None).values_list("founded_on", flat=True)]
    return Figures(
        from_registry=True,
        total=total,
        by_city=by_city,
        by_industry=by_industry,
        by_focus=by_focus,
        by_qualification=[(row["type__name"], row["n"]) for row in quals],
        by_ownership=[(labels.get(k, k), v) for k, v in ownership.most_common()],
        by_founding=_founding_periods(years),
        by_sub_industry=by_sub,
        featured=featured,
        source=f"军民融合供需对接平台民参军企业数据库（截至{today:%Y年%m月%d日}）",
    )
