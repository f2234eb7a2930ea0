"""Notices and papers on the real engine: Chinese queries, the release filter inside the query
(hits and counts, both directions), open/closed decided against the engine's now, post-filter
facets, the site search across types, and refusal of bad parameters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from portal.accounts import roles
from portal.notices.notice_search import notice_search
from search.queries import QueryError
from search.site import site_search
from tests.factories import UserFactory
from tests.search.content_fixtures import (
    create_notice,
    create_short_paper,
    create_supplier,
    module_database,
    module_index,
)

pytestmark = [pytest.mark.engine, pytest.mark.django_db]

ANON = AnonymousUser()


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    """Notices, papers and an enterprise at several tiers, indexed once for the module (these
    tests only read), in a private index; the database rolls back at the module's end."""
    with django_db_blocker.unblock(), module_database(), module_index() as sync:
        made = build_content()
        sync()
        yield made


def build_content() -> dict:
    past = timezone.now() - timedelta(days=2)
    notice, paper = create_notice, create_short_paper
    return {
        "beidou": notice(
            "北斗高精度定位终端采购需求",
            "采购北斗三号高精度定位终端 200 台，支持 RTK 与短报文。",
            paragraphs=("面向驻桂部队的卫星导航终端需求。",),
            requirements=("通过盐雾试验",),
            region="450103",
            industries=("D0101",),
        ),
        "graphene": notice(
            "石墨烯导热膜供给信息",
            "桂林企业可批量供应石墨烯导热膜。",
            kind="supply",
            region="450305",
            industries=("D0401",),
            deadline=past,
        ),
        "vetted": notice(
            "稀土永磁电机配套需求",
            "需要稀土永磁同步电机配套供应商。",
            tier="vetted",
            region="451402",
            industries=("D0402",),
        ),
        "targeted": notice(
            "北斗定向保障项目", "北斗导航定向保障。", tier="targeted", region="450103"
        ),
        "draft": notice("北斗草稿需求", "未发布的北斗草稿。", publish=False),
        "paper": paper(
            "广西北斗产业军民融合白皮书", "北斗导航产业向东盟延伸，石墨烯材料稳步发展。"
        ),
        "vetted_paper": paper("稀土永磁产业蓝皮书", "稀土永磁材料的保障能力。", tier="vetted"),
        "enterprise": create_supplier("南宁北斗导航科技有限公司", "北斗导航终端。"),
        "procurement": UserFactory(roles=[roles.PROCUREMENT]),
        "officer": UserFactory(roles=[roles.CLASSIFICATION_OFFICER]),
    }


def titles(results) -> list[str]:
    return [hit.source.get("title") or hit.source.get("name") for hit in results.hits]


def test_chinese_queries_find_notices_with_highlights(content) -> None:
    results = notice_search(ANON, "北斗")
    assert titles(results) == ["北斗高精度定位终端采购需求"]
    hit = results.hits[0]
    assert hit.type == "notice" and hit.id == content["beidou"].pk
    assert any("<mark>" in f for fragments in hit.highlight.values() for f in fragments)
    assert hit.source["url"] == content["beidou"].url
    # Body text (StreamField paragraphs) is indexed; a single character and synonyms match.
    assert titles(notice_search(ANON, "卫星导航终端")) == ["北斗高精度定位终端采购需求"]
    assert notice_search(ANON, "膜").total == 1
    assert notice_search(ANON, "BDS").total == 1


def test_requirements_above_the_notice_tier_are_not_searchable(content) -> None:
    # The public notice's requirements carry the vetted field tier: finding the notice by
    # them would reveal them, so they stay out of the index.
    assert notice_search(ANON, "盐雾试验").total == 0
    assert notice_search(content["officer"], "盐雾试验").total == 0


def test_tier_filter_both_directions_with_counts(content) -> None:
    vetted, officer = content["procurement"], content["officer"]
    assert notice_search(ANON, "").total == 2
    assert notice_search(vetted, "").total == 3
    assert notice_search(officer, "").total == 4
    assert notice_search(ANON, "稀土永磁").total == 0
    assert notice_search(vetted, "稀土永磁").total == 1
    kinds = {v.key: v.count for v in notice_search(ANON, "").facets["kind"]}
    assert kinds == {"demand": 1, "supply": 1, "transfer": 0, "policy": 0}
    kinds = {v.key: v.count for v in notice_search(officer, "").facets["kind"]}
    assert kinds["demand"] == 3
    assert site_search(ANON, "稀土永磁").total == 0
    assert {v.key: v.count for v in site_search(vetted, "稀土永磁").facets["type"]} == {
        "enterprise": 0,
        "notice": 1,
        "paper": 1,
    }


def test_status_is_decided_against_now(content) -> None:
    open_ = notice_search(ANON, "", {"status": ["open"]})
    closed = notice_search(ANON, "", {"status": ["closed"]})
    assert titles(open_) == ["北斗高精度定位终端采购需求"]
    assert titles(closed) == ["石墨烯导热膜供给信息"]
    status = {v.key: v.count for v in open_.facets["status"]}
    assert status == {"open": 1, "closed": 1}


def test_facets_are_post_filter_style(content) -> None:
    results = notice_search(ANON, "", {"kind": ["supply"]})
    assert titles(results) == ["石墨烯导热膜供给信息"]
    kinds = {v.key: v.count for v in results.facets["kind"]}
    assert kinds["demand"] == 1 and kinds["supply"] == 1
    regions = {v.key: v.count for v in results.facets["region"]}
    assert regions == {"450000": 1, "450300": 1, "450305": 1}
    by_city = notice_search(ANON, "", {"region": ["450100"]})
    assert titles(by_city) == ["北斗高精度定位终端采购需求"]
    by_industry = notice_search(ANON, "", {"industry": ["D01"]})
    assert titles(by_industry) == ["北斗高精度定位终端采购需求"]


def test_site_search_across_types(content) -> None:
    everything = site_search(ANON, "北斗")
    assert {hit.type for hit in everything.hits} == {"enterprise", "notice", "paper"}
    counts = {v.key: v.count for v in everything.facets["type"]}
    assert counts == {"enterprise": 1, "notice": 1, "paper": 1}
    papers = site_search(ANON, "北斗", ["paper"])
    assert [hit.type for hit in papers.hits] == ["paper"] and papers.total == 1
    assert {v.key: v.count for v in papers.facets["type"]} == counts
    assert site_search(ANON, "石墨烯", ["notice", "paper"]).total == 2


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: notice_search(ANON, "name:*"), "q"),
        (lambda: notice_search(ANON, "x" * 2000), "q"),
        (lambda: notice_search(ANON, "", {"kind": ["rocket"]}), "kind"),
        (lambda: notice_search(ANON, "", {"status": ["soon"]}), "status"),
        (lambda: notice_search(ANON, "", {"region": ["999999"]}), "region"),
        (lambda: notice_search(ANON, "", sort="price"), "sort"),
        (lambda: notice_search(ANON, "", page=-1), "page"),
        (lambda: site_search(ANON, "北斗", ["rocket"]), "type"),
    ],
)
def test_bad_parameters_are_refused(content, call, field) -> None:
    with pytest.raises(QueryError) as refused:
        call()
    assert refused.value.field == field
