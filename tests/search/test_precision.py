"""Precise matching on the real engine: whole result lists, not only their first page.

A term of two or more characters matches as a phrase of the character fields or as its
dictionary words, never through a single character it shares with a profile; standard codes
match however they are written; names outrank passing mentions; long queries need most of their
terms, not all; an index whose design the code changed is rebuilt at deploy.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.enterprises.search_indexes import SUPPLIERS
from portal.enterprises.supplier_search import supplier_search
from search import engine, indexing
from search.documents import build_index
from search.queries import query_terms, required_terms

pytestmark = [pytest.mark.django_db]


def names(query: str) -> list[str]:
    """Every hit's name, whole list, and the total agrees with it."""
    results = supplier_search(AnonymousUser(), query, page_size=100)
    assert results.total == len(results.hits)
    return [hit.source["name"] for hit in results.hits]


@pytest.mark.engine
def test_a_word_never_matches_through_its_single_characters(search_index, make_enterprise):
    make_enterprise("桂林航空科技有限公司", description="主要产品有固定翼无人机、飞控系统。")
    make_enterprise("柳州机器人科技有限公司", description="六轴工业机器人，人机协作。")
    make_enterprise("北海船舶重工有限公司", description="钢质巡逻艇；船用机械；人员培训。")
    make_enterprise(
        "南宁制药有限公司", description="中药配方颗粒。可为军队和国防科技工业单位服务。"
    )
    search_index()

    assert names("无人机") == ["桂林航空科技有限公司"]
    assert names('"无人机"') == ["桂林航空科技有限公司"]
    # 国 and 军 are in every profile that serves 军队 and 国防: no match through them.
    assert names("国军") == []
    # A character typed on its own still finds itself.
    assert len(names("人")) == 3


@pytest.mark.engine
def test_a_description_holds_a_word_only_where_it_stands_as_one(search_index, make_enterprise):
    # 设备 across 建设 and 备案 is no 设备: a description is read by its words (names and
    # offers, short and cut with little context, are also read as written).
    make_enterprise("南宁通信技术有限公司", description="通信设备研发。")
    make_enterprise("柳州建设咨询有限公司", description="办理工程建设备案手续。")
    search_index()

    assert names("设备") == ["南宁通信技术有限公司"]
    assert names("备案") == ["柳州建设咨询有限公司"]


@pytest.mark.engine
def test_beidou_in_liuzhou_leaves_out_the_beibu_gulf(search_index, make_enterprise):
    make_enterprise("柳州北部湾电池有限公司", region="450202", description="磷酸铁锂电池模组。")
    make_enterprise("柳州星通导航有限公司", region="450202", description="北斗高精度定位终端。")
    make_enterprise("南宁北斗导航有限公司", region="450103", description="北斗短报文通信模块。")
    search_index()

    assert names("北斗 柳州") == ["柳州星通导航有限公司"]
    assert names("广西柳州的北斗企业") == ["柳州星通导航有限公司"]
    assert set(names("北斗")) == {"柳州星通导航有限公司", "南宁北斗导航有限公司"}


@pytest.mark.engine
def test_standard_codes_match_however_they_are_written(search_index, make_enterprise):
    make_enterprise("甲公司", description="定位终端通过GJB 150A-2009环境试验。")
    make_enterprise("乙公司", description="按GJB150A完成环境适应性试验。")
    make_enterprise("丙公司", description="满足GJB 151B-2013电磁兼容要求。")
    make_enterprise("丁公司", description="出水符合GB/T 18918一级A标准。")
    search_index()

    for written in ("GJB 150A", "GJB150A", "gjb 150a", "GJB 150A-2009"):
        assert set(names(written)) >= {"甲公司"}, written
        if written != "GJB 150A-2009":
            assert set(names(written)) == {"甲公司", "乙公司"}, written
    assert names("GJB151B") == ["丙公司"]
    assert names("GB 18918") == names("GBT18918") == ["丁公司"]


@pytest.mark.engine
def test_names_and_whole_phrases_rank_first(search_index, make_enterprise):
    make_enterprise("桂林导航电子有限公司", description="星通系列天线；北斗导航终端。")
    make_enterprise("八桂星通导航科技有限公司", description="卫星通信设备。")
    make_enterprise("南宁石墨科技有限公司", description="碳材料，兼营少量石墨烯粉体贸易。")
    make_enterprise("北海石墨烯新材料有限公司", description="导热膜。")
    search_index()

    assert names("星通导航")[0] == "八桂星通导航科技有限公司"
    assert names("石墨烯") == ["北海石墨烯新材料有限公司", "南宁石墨科技有限公司"]


@pytest.mark.engine
def test_a_long_query_needs_most_of_its_terms_not_all(search_index, make_enterprise):
    make_enterprise("甲导航公司", description="主要产品有北斗高精度定位终端。")
    make_enterprise("乙导航公司", description="北斗授时服务器。")
    search_index()

    terms = query_terms("高精度北斗卫星导航定位终端设备")
    assert len(terms) == 5 and required_terms(len(terms)) == 4
    # 设备 is nowhere in the profile; four of the five terms are.
    assert names("高精度北斗卫星导航定位终端设备") == ["甲导航公司"]
    # A short query needs every term; a compound word matches as its parts too.
    assert names("北斗终端") == names("北斗 终端") == ["甲导航公司"]
    assert names("北斗 天线") == []


def partial_names(query: str, **filters: list[str]) -> list[str]:
    results = supplier_search(AnonymousUser(), query, filters, page_size=100)
    return [hit.source["name"] for hit in results.partial]


@pytest.mark.engine
def test_a_short_list_is_followed_by_partial_matches_listed_apart(
    search_index, make_enterprise, client
):
    make_enterprise("甲信息公司", description="提供数据脱敏与加密服务。")
    make_enterprise("乙信息公司", description="数据安全网关。", region="450202")
    make_enterprise("丙信息公司", description="政务数据治理。")
    make_enterprise("丁机械公司", description="脱粒机、加工设备。")  # 脱 and 加 alone
    make_enterprise("戊信息公司", description="电子签章。")  # no term at all
    search_index()

    results = supplier_search(AnonymousUser(), "数据脱敏与加密")
    assert [hit.source["name"] for hit in results.hits] == ["甲信息公司"]
    assert results.total == 1  # the count is of full matches only
    # Suppliers sharing a whole term, the better matches first; never through one character.
    assert set(partial_names("数据脱敏与加密")) == {"乙信息公司", "丙信息公司"}
    # The same filters and release rules apply to them: a region narrows both lists.
    assert partial_names("数据脱敏与加密", region=["450200"]) == ["乙信息公司"]
    # One term has nothing partial to offer: its matches are the list itself.
    assert partial_names("数据") == [] and len(names("数据")) == 3
    # A list sorted by date (what alerts read) has none: partial matches are about relevance.
    by_date = supplier_search(AnonymousUser(), "数据脱敏与加密", sort="updated")
    assert by_date.total == 1 and by_date.partial == []

    page = client.get("/suppliers/", {"q": "数据脱敏与加密"})
    html = page.content.decode()
    assert "部分匹配的供应商" in html and "不计入上面的结果数" in html
    assert html.index("甲信息公司") < html.index("部分匹配的供应商") < html.index("乙信息公司")
    assert "丁机械公司" not in html and "戊信息公司" not in html
    body = client.get("/api/v1/suppliers/", {"q": "数据脱敏与加密"}).json()
    assert body["count"] == 1 and [hit["name"] for hit in body["results"]] == ["甲信息公司"]
    assert {hit["name"] for hit in body["partial"]} == {"乙信息公司", "丙信息公司"}


@pytest.mark.engine
def test_a_full_first_page_gets_no_partial_matches(search_index, make_enterprise):
    for number in range(10):
        make_enterprise(f"导航{number}号公司", description="北斗导航终端。")
    make_enterprise("授时公司", description="北斗授时服务器。")
    search_index()

    results = supplier_search(AnonymousUser(), "北斗导航终端", page_size=5)
    assert results.total == 10 and results.partial == []
    assert supplier_search(AnonymousUser(), "北斗导航终端", page=2, page_size=5).partial == []


def test_terms_keep_unknown_words_together_and_drop_stop_words() -> None:
    assert [t.text for t in query_terms("北抖星通")] == ["北抖", "星通"]
    assert [(t.text, t.phrase) for t in query_terms("石墨烯导热膜")] == [
        ("石墨烯", True),
        ("导热", True),
        ("膜", False),  # a lone character inside a word matches as a word only
    ]
    assert [t.parts for t in query_terms("北斗终端 无人机")] == [("北斗", "终端"), ()]
    assert [t.text for t in query_terms("北斗的终端和天线")] == ["北斗", "终端", "天线"]
    assert [t.text for t in query_terms("GJB 150A 环境试验")] == ["GJB150A", "环境", "试验"]
    assert [required_terms(n) for n in range(1, 9)] == [1, 2, 2, 3, 4, 5, 5, 6]


@pytest.mark.engine
def test_ensure_rebuilds_an_index_whose_design_changed(search_index, make_enterprise):
    make_enterprise("桂林北斗应用有限公司", description="北斗导航终端。")
    search_index()
    old = engine.alias_targets(SUPPLIERS.alias)
    assert indexing.ensure(SUPPLIERS) and engine.alias_targets(SUPPLIERS.alias) == old

    # An index built by an older release: another design behind the alias.
    stale = f"{SUPPLIERS.alias}-stale"
    built = build_index(SUPPLIERS, stale)
    built.get_or_create_mapping().meta("_meta", {"design": "older"})
    engine.create_index(built)
    engine.swap_alias(SUPPLIERS.alias, stale)
    indexing.ensure(SUPPLIERS)
    now = engine.alias_targets(SUPPLIERS.alias)
    assert now != [stale] and engine.mapping_meta(SUPPLIERS.alias)["design"] != "older"
    assert names("北斗") == ["桂林北斗应用有限公司"]  # rebuilt from the database
    for physical in [*old, stale]:
        engine.delete_index(physical)
