"""Search quality over whole result lists, per class of query: the portal's supplier search
against a stock OpenSearch ``cjk`` analyzer with a plain ``multi_match``, on the same data.

Measured over the demo data: the 300 enterprises ``seed_demo`` creates by default, which are
the first 300 of the benchmark's 100,000 (same generator, same seed). Each side gets an index
of its own under another prefix, so the 100k directory used for latency is left alone.

The labels are rules over the registry's structured data, never over search results: for each
query, what a procurement officer typing it would accept. Grade 2: the enterprise offers one of
the named products or technologies; grade 1: it offers a related one or describes itself with
the named tag; and when the query names a qualification, a city or an ownership, only
enterprises that hold it (valid today), lie there or have it count at all. Every enterprise of
the registry the anonymous reader may see is labelled, so precision and recall are over the
whole result list, not the first page.
"""

from __future__ import annotations

import json
import math
import os
import random
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.test import override_settings
from django.utils import timezone

from portal.enterprises.demo import DEFAULT_COUNT, Generator
from portal.enterprises.importing import run_import
from portal.enterprises.models import Enterprise, Qualification
from portal.enterprises.search_indexes import SUPPLIERS, EnterpriseDocument
from portal.enterprises.supplier_search import SupplierSearch
from search import engine
from search.documents import build_index
from search.faceted import FacetedSearch

from .variants import StockCjkDocument, StockCjkSupplierSearch

PORTAL_PREFIX = "benchquality"
STOCK_PREFIX = "benchstock"

#: A held-out labelled set to evaluate as well (see ``held_out``), outside the repository.
HELD_OUT_ENV = "SEARCH_QUALITY_SET"

CLASSES = (
    "short",
    "product",
    "capability",
    "qualification",
    "region",
    "industry-size",
    "code",
    "synonym",
)
#: Staff-size bands from 100 people up, and those of small and micro firms (under 300).
FROM_100 = ("100-299", "300-999", "1000+")
SMALL = ("lt20", "20-99", "100-299")


@dataclass(frozen=True)
class Label:
    """A query and the rule that says which enterprises answer it."""

    query: str
    kind: str
    #: Products or technologies that answer exactly (grade 2).
    exact: tuple[str, ...] = ()
    #: Products, technologies or capability tags that answer loosely (grade 1).
    related: tuple[str, ...] = ()
    #: Only holders of this qualification (``type`` or ``type:level``), valid today, count.
    qualification: str = ""
    #: Only enterprises in this city (or one of its counties) count.
    city: str = ""
    #: Only enterprises in this industry (or one below it), of one of these staff-size bands,
    #: of this ownership count.
    industry: str = ""
    sizes: tuple[str, ...] = ()
    ownership: str = ""
    #: ``exact`` and ``related`` empty: every enterprise that meets the conditions answers.


DRONES = ("工业级多旋翼无人机", "固定翼无人机")
BEIDOU = (
    "北斗高精度定位终端",
    "北斗短报文通信模块",
    "北斗授时服务器",
    "车载北斗导航终端",
    "手持北斗定位仪",
    "北斗/惯导组合导航",
)
ROBOTS = ("六轴工业机器人", "焊接机器人工作站", "排爆机器人", "机器人运动控制")

LABELS: list[Label] = [
    # --- short: one word, what most visitors type ---------------------------------------------
    Label("无人机", "short", DRONES, ("无人机",)),
    Label("北斗", "short", BEIDOU, ("北斗",)),
    Label("石墨烯", "short", ("石墨烯导热膜", "石墨烯防腐涂料", "石墨烯改性电池材料"), ("石墨烯",)),
    Label("机器人", "short", ROBOTS, ("机器人",)),
    Label("传感器", "short", ("无线传感器节点", "环境监测传感器", "MEMS传感器封装"), ("传感器",)),
    Label("稀土", "short", ("稀土抛光粉", "稀土荧光材料", "稀土分离提纯"), ("稀土",)),
    Label("船舶", "short", ("船用舾装设备", "船体分段建造", "船舶防腐"), ("船舶",)),
    Label("储能", "short", ("移动储能电源",), ("储能",)),
    Label("中药", "short", ("中药配方颗粒", "中药提取纯化"), ("中药",)),
    Label("数控", "short", ("五轴联动数控机床", "数控加工中心"), ("数控",)),
    # --- product: a product's name, short or long, as buyers write it ---------------------------
    Label("北斗定位终端", "product", ("北斗高精度定位终端", "手持北斗定位仪", "车载北斗导航终端")),
    Label("北斗短报文", "product", ("北斗短报文通信模块",)),
    Label("授时服务器", "product", ("北斗授时服务器",), ("精密授时同步",)),
    Label("五轴数控机床", "product", ("五轴联动数控机床",), ("数控加工中心",)),
    Label("精密减速器", "product", ("精密减速器",)),
    Label("激光切割设备", "product", ("激光切割设备",)),
    Label("应急抢险工程车", "product", ("应急抢险工程车",)),
    Label("轨道车辆转向架", "product", ("轨道车辆转向架",)),
    Label("固定翼无人机", "product", ("固定翼无人机",), ("工业级多旋翼无人机",)),
    Label("钢质巡逻艇", "product", ("钢质巡逻艇",)),
    Label("石墨烯导热膜", "product", ("石墨烯导热膜",), ("导热复合",)),
    Label("钕铁硼永磁体", "product", ("钕铁硼永磁体",), ("永磁",)),
    Label("磷酸铁锂电池模组", "product", ("磷酸铁锂电池模组",)),
    Label("野战医疗方舱", "product", ("野战医疗方舱设备",)),
    Label("便携式监护仪", "product", ("便携式监护仪",), ("健康监测设备",)),
    Label("直流快充桩", "product", ("直流快充桩",), ("移动充电车", "大功率充电模块")),
    Label("营区污水处理站", "product", ("营区污水处理站",), ("污水处理一体化设备",)),
    Label(
        "车载北斗卫星导航终端设备",
        "product",
        ("车载北斗导航终端",),
        ("北斗高精度定位终端", "手持北斗定位仪"),
    ),
    Label("工业级多旋翼无人驾驶航空器", "product", ("工业级多旋翼无人机",), ("固定翼无人机",)),
    Label("高强度铝合金挤压型材", "product", ("高强度铝合金型材",), ("挤压成型",)),
    Label("宽带自组网通信电台", "product", ("宽带自组网电台",)),
    # --- capability: what a firm can do -------------------------------------------------------
    Label("射频微波电路设计", "capability", ("射频微波电路设计",), ("射频功放模块",)),
    Label("电磁兼容设计", "capability", ("电磁兼容设计",)),
    Label("复合材料成型", "capability", ("复合材料成型", "复合成型"), ("航空复合材料结构件",)),
    Label("精密加工", "capability", ("精密加工",), ("精密制造",)),
    Label("机器视觉检测", "capability", ("机器视觉检测",), ("智能检测装备",)),
    Label("数据脱敏与加密", "capability", ("数据脱敏与加密",), ("数据安全网关",)),
    Label("船体分段建造", "capability", ("船体分段建造",)),
    Label("湿法冶金回收", "capability", ("湿法冶金回收",), ("废旧电池回收线",)),
    Label("具备焊接机器人研发生产能力", "capability", ("焊接机器人工作站",)),
    Label("低温等离子", "capability", ("低温等离子",)),
    Label("中药提取纯化", "capability", ("中药提取纯化",)),
    # --- qualification in words: a filter said in a sentence ----------------------------------
    Label("具有二级保密资格的通信企业", "qualification", (), ("通信",), "secrecy:二级"),
    Label("有保密资格二级的北斗企业", "qualification", (), ("北斗",), "secrecy:二级"),
    Label("通过GJB9001C认证的无人机企业", "qualification", DRONES, ("无人机",), "gjb9001c"),
    Label("装备承制单位 石墨烯", "qualification", (), ("石墨烯",), "equipment_supplier"),
    Label("有武器装备科研生产许可证的船舶企业", "qualification", (), ("船舶",), "weapons_license"),
    Label("国家高新技术企业 传感器", "qualification", (), ("传感器",), "high_tech"),
    Label("专精特新小巨人 机器人", "qualification", ROBOTS, ("机器人",), "little_giant"),
    Label("三级保密资格 射频", "qualification", (), ("射频",), "secrecy:三级"),
    # --- region in words -----------------------------------------------------------------------
    Label("柳州的北斗企业", "region", BEIDOU, ("北斗",), city="450200"),
    Label("北斗 柳州", "region", BEIDOU, ("北斗",), city="450200"),
    Label("南宁市 大数据", "region", ("政务大数据平台",), ("大数据",), city="450100"),
    Label("桂林 机器人", "region", ROBOTS, ("机器人",), city="450300"),
    Label("北海 船舶", "region", (), ("船舶",), city="450500"),
    Label("广西柳州 无人机", "region", DRONES, ("无人机",), city="450200"),
    Label("玉林的医疗器械企业", "region", (), ("医疗器械",), city="450900"),
    Label("南宁 石墨烯", "region", (), ("石墨烯",), city="450100"),
    # --- industry, staff size and ownership in words --------------------------------------------
    Label("100人以上的北斗企业", "industry-size", BEIDOU, ("北斗",), sizes=FROM_100),
    Label("大健康领域的企业", "industry-size", industry="D06"),
    Label("小微企业 传感器", "industry-size", (), ("传感器",), sizes=SMALL),
    Label("北斗产业 柳州", "industry-size", city="450200", industry="D0101"),
    Label("新材料行业 国有", "industry-size", industry="D04", ownership="state"),
    Label("民营 无人机", "industry-size", DRONES, ("无人机",), ownership="private"),
    # --- codes: standards and certificates, however they are written ---------------------------
    Label(
        "GJB 150A",
        "code",
        (
            "北斗高精度定位终端",
            "车载北斗导航终端",
            "手持北斗定位仪",
            "机载电子设备",
            "野战医疗方舱设备",
        ),
    ),
    Label("GJB151B", "code", ("加固型通信终端", "宽带自组网电台", "机载电子设备")),
    Label("GJB4000", "code", ("钢质巡逻艇", "无人水面艇")),
    Label("GB/T 18918", "code", ("营区污水处理站", "污水处理一体化设备")),
    Label("GJB9001", "code", qualification="gjb9001c"),
    Label("国军标", "code", qualification="gjb9001c"),
    Label("GJB 9001C-2017 北斗", "code", BEIDOU, ("北斗",), "gjb9001c"),
    Label("gjb9001c 无人机", "code", DRONES, ("无人机",), "gjb9001c"),
    Label("ISO9001 传感器", "code", (), ("传感器",), "iso9001"),
    Label("MEMS", "code", ("MEMS传感器封装",)),
    # --- synonyms: another word for the same thing --------------------------------------------
    Label("UAV", "synonym", DRONES, ("无人机",)),
    Label("无人驾驶航空器", "synonym", DRONES, ("无人机",)),
    Label(
        "BDS导航终端", "synonym", ("车载北斗导航终端", "北斗高精度定位终端"), ("手持北斗定位仪",)
    ),
    Label("卫星导航", "synonym", ("GNSS监测接收机", "北斗/惯导组合导航"), ("北斗",)),
    Label("CNC", "synonym", ("五轴联动数控机床", "数控加工中心"), ("数控",)),
    Label("锂离子电池", "synonym", ("磷酸铁锂电池模组",), ("动力电池",)),
    Label("IoT网关", "synonym", ("工业物联网网关",)),
    Label("电动汽车", "synonym", ("新能源专用车", "电驱动总成"), ("新能源汽车",)),
]


def demo_ids() -> list[int]:
    """The ids of the default demo enterprises, found by the USCCs the generator draws."""
    generator = Generator(random.Random("enterprises-2026"))  # seed_demo's default seed
    usccs = [generator.enterprise()["uscc"] for _ in range(DEFAULT_COUNT)]
    return list(Enterprise.objects.filter(uscc__in=usccs).values_list("pk", flat=True))


@contextmanager
def labelled_index(ids: list[int], prefix: str, document: type[EnterpriseDocument]):
    """An index of ``document`` holding only ``ids``, behind the enterprises alias of
    ``prefix`` (the settings say that prefix while the block runs)."""
    with override_settings(SEARCH_INDEX_PREFIX=prefix):
        index = replace(SUPPLIERS, document=document)
        physical = f"{SUPPLIERS.alias}-labelled"
        engine.delete_index(physical)
        engine.create_index(build_index(index, physical))
        _count, body = engine.index_body(physical, SUPPLIERS.build(ids))
        engine.bulk_body(body, request_timeout=120)
        engine.refresh(physical)
        engine.swap_alias(SUPPLIERS.alias, physical)
        try:
            yield
        finally:
            engine.delete_index(physical)


@dataclass
class Registry:
    """What the labels read of each enterprise the anonymous reader may see."""

    offers: dict[int, set[str]]  # product and technology names, capability tags
    qualifications: dict[int, set[str]]  # valid today: type and type:level
    cities: dict[int, str]
    industries: dict[int, set[str]]  # with their parents
    profile: dict[int, tuple[str, str]]  # staff-size band, ownership

    @classmethod
    def load(cls, within: list[int]) -> Registry:
        visible = Enterprise.objects.filter(
            Enterprise.classification.released(), tier="public", pk__in=within
        )
        offers: dict[int, set[str]] = defaultdict(set)
        qualifications: dict[int, set[str]] = defaultdict(set)
        cities: dict[int, str] = {}
        industries: dict[int, set[str]] = defaultdict(set)
        profile: dict[int, tuple[str, str]] = {}
        today = timezone.localdate()
        related = ("products", "technologies", "qualifications", "industries")
        for enterprise in visible.prefetch_related(*related):
            pk = enterprise.pk
            offers[pk] |= {product.name for product in enterprise.products.all()}
            offers[pk] |= {tech.name for tech in enterprise.technologies.all()}
            offers[pk] |= set(enterprise.capability_tags or [])
            for held in enterprise.qualifications.all():
                if Qualification.valid_between(held.valid_from, held.valid_until, today):
                    qualifications[pk] |= {held.type_id, f"{held.type_id}:{held.level}"}
            cities[pk] = enterprise.region_id[:4] + "00"
            for industry in enterprise.industries.all():
                industries[pk] |= set(industry.ancestor_codes())
            profile[pk] = (enterprise.staff_size, enterprise.ownership)
        return cls(offers, qualifications, cities, industries, profile)

    def grades(self, label: Label) -> dict[int, int]:
        """Every visible enterprise that answers ``label``, with its grade (1 or 2)."""
        graded = {}
        for pk, offers in self.offers.items():
            if label.qualification and label.qualification not in self.qualifications[pk]:
                continue
            if label.city and self.cities[pk] != label.city:
                continue
            if label.industry and label.industry not in self.industries[pk]:
                continue
            size, ownership = self.profile[pk]
            if (label.sizes and size not in label.sizes) or label.ownership not in ("", ownership):
                continue
            if offers & set(label.exact):
                graded[pk] = 2
            elif offers & set(label.related) or not (label.exact or label.related):
                graded[pk] = 1
        return graded


def whole_list(search: type[FacetedSearch], query: str) -> list[int]:
    """Every hit of ``query`` for the anonymous reader, in rank order, page by page, and the
    partial matches a short list is filled up with: the reader sees them too, so they count."""
    ids: list[int] = []
    page = 1
    while True:
        results = search(AnonymousUser(), query, page=page, page_size=100).execute()
        ids += [hit.id for hit in [*results.hits, *results.partial]]
        if page >= results.pages:
            return ids
        page += 1


def dcg(values: list[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(values))


@dataclass
class Scores:
    ndcg: float
    rr: float
    precision: float
    recall: float


def score(ranked: list[int], graded: dict[int, int]) -> Scores:
    got = [graded.get(pk, 0) for pk in ranked]
    best = dcg(sorted(graded.values(), reverse=True)[:10])
    found = sum(1 for grade in got if grade)
    first = next((rank for rank, grade in enumerate(got, 1) if grade), None)
    return Scores(
        ndcg=dcg(got[:10]) / best,
        rr=1 / first if first else 0.0,
        precision=found / len(ranked) if ranked else 0.0,
        recall=found / len(graded),
    )


#: A query, its class, and the grade of every visible enterprise that answers it.
Judged = tuple[str, str, dict[int, int]]


def evaluate(search: type[FacetedSearch], judged: list[Judged]) -> dict[str, list[Scores]]:
    by_class: dict[str, list[Scores]] = defaultdict(list)
    for query, kind, graded in judged:
        by_class[kind].append(score(whole_list(search, query), graded))
    return by_class


def mean(scores: list[Scores]) -> Scores:
    return Scores(
        *(sum(getattr(s, name) for s in scores) / len(scores) for name in Scores.__annotations__)
    )


def compare(ids: list[int], judged: list[Judged]) -> tuple[dict, dict]:
    """The portal's and the stock analyzer's scores on ``judged``, each over an index of
    ``ids`` only."""
    with labelled_index(ids, PORTAL_PREFIX, EnterpriseDocument):
        portal = evaluate(SupplierSearch, judged)
    with labelled_index(ids, STOCK_PREFIX, StockCjkDocument):
        stock = evaluate(StockCjkSupplierSearch, judged)
    return portal, stock


def print_table(portal: dict[str, list[Scores]], stock: dict[str, list[Scores]]) -> None:
    print(
        f"  {'class':<14}{'n':>3}   {'portal: nDCG@10  MRR    P      R':<36}"
        f"{'stock cjk: nDCG@10  MRR    P      R'}"
    )
    kinds = [kind for kind in CLASSES if portal.get(kind)]
    kinds += sorted(kind for kind in portal if kind not in CLASSES)
    rows = [(kind, portal[kind], stock[kind]) for kind in kinds]
    rows.append(
        (
            "overall",
            [s for kind in kinds for s in portal[kind]],
            [s for kind in kinds for s in stock[kind]],
        )
    )
    worst_gap = 0.0
    for kind, ours, theirs in rows:
        a, b = mean(ours), mean(theirs)
        if kind != "overall":
            worst_gap = max(worst_gap, b.ndcg - a.ndcg)
        print(
            f"  {kind:<14}{len(ours):>3}   "
            f"{a.ndcg:>13.3f} {a.rr:6.3f} {a.precision:6.3f} {a.recall:6.3f}      "
            f"{b.ndcg:>13.3f} {b.rr:6.3f} {b.precision:6.3f} {b.recall:6.3f}"
        )
    overall = mean(rows[-1][1])
    print(
        f"  targets: nDCG@10 {overall.ndcg:.3f} (≥ 0.92), precision {overall.precision:.3f} "
        f"(≥ 0.75), recall {overall.recall:.3f} (≥ 0.80), worst class below stock by "
        f"{max(worst_gap, 0):.3f} nDCG@10 (≤ 0.02)"
    )


def held_out(directory: Path) -> tuple[list[int], list[Judged]]:
    """A labelled set kept outside the repository: ``enterprises.xlsx`` (or ``.csv``) in the
    import format, imported here like an agency's list, and ``queries.json``: a list of
    ``{"query", "kind", "relevant": {USCC: grade}}`` naming every relevant enterprise."""
    table = next(directory.glob("enterprises.*"))
    started = timezone.now()
    with table.open("rb") as handle:
        report = run_import(handle, table.name, dry_run=False)
    if report.errors:
        raise SystemExit(f"{table}: {len(report.errors)} rows refused, e.g. {report.errors[0]}")
    queries = json.loads((directory / "queries.json").read_text(encoding="utf-8"))
    named = {uscc for query in queries for uscc in query["relevant"]}
    visible = Enterprise.objects.filter(
        Q(updated_at__gte=started) | Q(uscc__in=named),
        Enterprise.classification.released(),
        tier="public",
    )
    pk_of = dict(visible.values_list("uscc", "pk"))
    judged = [
        (
            query["query"],
            query.get("kind", "held-out"),
            {pk_of[uscc]: grade for uscc, grade in query["relevant"].items() if uscc in pk_of},
        )
        for query in queries
    ]
    return list(pk_of.values()), [item for item in judged if item[2]]


def report() -> None:
    ids = demo_ids()
    registry = Registry.load(ids)
    judged = [(label.query, label.kind, registry.grades(label)) for label in LABELS]
    judged = [item for item in judged if item[2]]  # nothing visible answers it: unjudgeable
    portal, stock = compare(ids, judged)
    print(
        f"search quality on {len(judged)} labelled queries over the {len(registry.offers)} demo "
        "enterprises a visitor sees (whole result lists; grade 2 = offers the product, "
        "1 = a related one)"
    )
    print_table(portal, stock)
    if directory := os.environ.get(HELD_OUT_ENV):
        ids, judged = held_out(Path(directory))
        print(f"held-out set {directory}: {len(judged)} queries over {len(ids)} enterprises")
        print_table(*compare(ids, judged))
