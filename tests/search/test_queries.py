"""Supplier search on the real engine: Chinese analysis, facets, the release filter inside the
query (hits, totals, facet counts, suggestions), and refusal of bad parameters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.enterprises.supplier_search import suggest, supplier_search
from search.queries import QueryError
from tests.search_fixtures import qualification

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


@pytest.fixture
def directory(search_index, make_enterprise):
    today = date.today()
    made = {
        "beidou": make_enterprise(
            "广西北斗星通导航科技有限公司",
            region="450103",
            industries=["D0101"],
            description="北斗导航终端与高精度定位授时设备的研发制造。",
            products=[{"name": "北斗导航终端", "description": "军用级北斗接收机"}],
            qualifications=[qualification("gjb9001c", today + timedelta(days=300))],
            staff_size="100-299",
            ownership="private",
        ),
        "graphene": make_enterprise(
            "桂林石墨烯新材料股份有限公司",
            region="450305",
            industries=["D0401"],
            description="石墨烯导热膜与复合材料。",
            products=[{"name": "石墨烯导热膜", "description": ""}],
            qualifications=[qualification("gjb9001c", today - timedelta(days=1))],
            ownership="state",
        ),
        "rare_earth": make_enterprise(
            "崇左稀土永磁材料有限公司",
            region="451402",
            industries=["D0402"],
            description="稀土永磁材料，通过GJB 9001C质量管理体系认证。",
            technologies=[{"name": "稀土永磁体烧结工艺", "description": ""}],
            ownership="private",
        ),
        "secret": make_enterprise(
            "南宁北斗定向研究所有限公司",
            region="450103",
            industries=["D0101"],
            description="北斗导航定向项目。",
            tier="targeted",
        ),
        "draft": make_enterprise(
            "南宁北斗草稿科技有限公司", region="450103", industries=["D0101"], status="draft"
        ),
    }
    search_index()
    return made


def names(results) -> list[str]:
    return [hit.source["name"] for hit in results.hits]


def test_two_character_word_finds_the_profile_and_highlights(directory) -> None:
    results = supplier_search(AnonymousUser(), "北斗")
    assert names(results) == ["广西北斗星通导航科技有限公司"]
    assert "<mark>" in results.hits[0].highlight["name"][0]


def test_single_character_and_mixed_latin_digits(directory) -> None:
    assert "桂林石墨烯新材料股份有限公司" in names(supplier_search(AnonymousUser(), "烯"))
    # Letters and digits mixed are searched as written: only the description that says it.
    assert names(supplier_search(AnonymousUser(), "9001C质量管理")) == ["崇左稀土永磁材料有限公司"]
    # Named as a qualification, the code is a filter: holders of a valid certificate only.
    assert names(supplier_search(AnonymousUser(), "GJB 9001C")) == ["广西北斗星通导航科技有限公司"]


def test_synonym_bds_finds_beidou(directory) -> None:
    assert names(supplier_search(AnonymousUser(), "BDS")) == ["广西北斗星通导航科技有限公司"]


def test_targeted_and_draft_profiles_are_absent_from_hits_counts_and_facets(directory) -> None:
    results = supplier_search(AnonymousUser(), "")
    assert results.total == 3
    assert "南宁北斗定向研究所有限公司" not in names(results)
    industry = {v.key: v.count for v in results.facets["industry"]}
    assert industry["D0101"] == 1  # the targeted one is not counted


def test_facets_are_post_filter_counts(directory) -> None:
    results = supplier_search(AnonymousUser(), "", {"region": ["450100"]})
    assert names(results) == ["广西北斗星通导航科技有限公司"]
    regions = {v.key: v.count for v in results.facets["region"]}
    # Selecting Nanning does not zero the other cities' counts.
    assert regions["450300"] == 1 and regions["451400"] == 1 and regions["450100"] == 1
    ownership = {v.key: v.count for v in results.facets["ownership"]}
    assert ownership == {"private": 1}  # other groups are narrowed by the region filter


def test_expired_qualifications_do_not_count(directory) -> None:
    results = supplier_search(AnonymousUser(), "", {"qualification": ["gjb9001c"]})
    assert names(results) == ["广西北斗星通导航科技有限公司"]


def test_suggestions_by_characters_and_pinyin_initials_respect_the_policy(directory) -> None:
    assert "北斗导航终端" in suggest(AnonymousUser(), "bddh")
    assert "石墨烯导热膜" in suggest(AnonymousUser(), "石墨")
    assert not any("定向" in phrase for phrase in suggest(AnonymousUser(), "南宁"))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": -1}, "page"),
        ({"page": 10**6}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"q": "北" * 2000}, "q"),
        ({"q": '"北斗'}, "q"),
        ({"q": "name:*"}, "q"),
        ({"q": '{"script": "x"}'}, "q"),
        ({"filters": {"region": ["999999"]}}, "region"),
        ({"sort": "price"}, "sort"),
    ],
)
def test_bad_parameters_are_refused_before_the_engine(directory, params, field) -> None:
    with pytest.raises(QueryError) as error:
        supplier_search(AnonymousUser(), **params)
    assert error.value.field == field
