"""Qualifications, regions and ownership named in a supplier query become filters, shown as chips.

Understood phrases leave the searched text (they would match every profile that mentions
them), become the facet values an officer would have chosen, and come back in ``understood``
so the page can show them and take each back. Function words drop out.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.enterprises.query_understanding import understand
from portal.enterprises.supplier_search import supplier_search
from tests.search_fixtures import qualification

pytestmark = [pytest.mark.django_db]

LATER = date.today() + timedelta(days=400)


@pytest.mark.parametrize(
    ("query", "rest", "understood"),
    [
        ("二级保密资格 北斗", "北斗", [("qualification", "secrecy:二级", "二级保密资格")]),
        ("有保密资格二级的", "", [("qualification", "secrecy:二级", "保密资格二级")]),
        ("通过GJB9001C认证的", "", [("qualification", "gjb9001c", "GJB9001C")]),
        ("GJB9001", "", [("qualification", "gjb9001c", "GJB9001")]),
        ("GJB 9001C-2017", "", [("qualification", "gjb9001c", "GJB 9001C-2017")]),
        ("装备承制单位", "", [("qualification", "equipment_supplier", "装备承制单位")]),
        ("柳州的无人机企业", "无人机", [("region", "450200", "柳州")]),
        ("南宁市 北斗导航终端", "北斗导航终端", [("region", "450100", "南宁市")]),
        ("民营 稀土", "稀土", [("ownership", "private", "民营")]),
        ("国有", "", [("ownership", "state", "国有")]),
        ("国军标", "", [("qualification", "gjb9001c", "国军标")]),
        ("广西柳州 无人机", "无人机", [("region", "450200", "柳州")]),
        ("大健康领域的企业", "", [("industry", "D06", "大健康领域")]),
        ("北斗产业 柳州", "", [("industry", "D0101", "北斗产业"), ("region", "450200", "柳州")]),
        (
            "100人以上的北斗企业",
            "北斗",
            [("size", band, "100人以上") for band in ("100-299", "300-999", "1000+")],
        ),
        ("20人以下 无人机", "无人机", [("size", b, "20人以下") for b in ("lt20", "20-99")]),
        ("不足20人", "", [("size", "lt20", "不足20人")]),
        ("300-999人", "", [("size", "300-999", "300-999人")]),
        ("小微企业", "", [("size", b, "小微企业") for b in ("lt20", "20-99", "100-299")]),
    ],
)
def test_phrases_become_filters_and_leave_the_text(query, rest, understood) -> None:
    text, found = understand(query)
    assert text == rest
    assert [(u.facet, u.key, u.text) for u in found] == understood
    assert all(u.label for u in found)


@pytest.mark.parametrize(
    "query", ["北斗导航终端", "无人机", "ISO90010 测试设备", "稀土永磁材料", "北斗", "大健康"]
)
def test_a_query_without_known_phrases_is_searched_as_typed(query) -> None:
    assert understand(query) == (query, [])


@pytest.mark.engine
def test_a_qualification_phrase_filters_and_counts_only_holders(
    search_index, make_enterprise, client
) -> None:
    holder = make_enterprise(
        "南宁北斗导航科技有限公司",
        description="北斗导航终端研制。",
        qualifications=[qualification("secrecy", LATER, level="二级")],
    )
    make_enterprise("柳州北斗应用有限公司", description="北斗导航终端生产。")
    make_enterprise(
        "桂林保密资格咨询有限公司", description="协助企业申请二级保密资格，北斗导航培训。"
    )
    search_index()

    results = supplier_search(AnonymousUser(), "具有二级保密资格的北斗企业")
    assert [hit.id for hit in results.hits] == [holder.pk]
    assert results.total == 1
    assert results.understood == [
        {
            "facet": "qualification",
            "key": "secrecy:二级",
            "label": "武器装备科研生产单位保密资格（二级）",
            "text": "二级保密资格",
        }
    ]

    body = client.get("/api/v1/suppliers/", {"q": "具有二级保密资格的北斗企业"}).json()
    assert body["count"] == 1 and body["understood"][0]["key"] == "secrecy:二级"
    chosen = [v["key"] for v in body["facets"]["qualification"] if v["selected"]]
    assert chosen == ["secrecy:二级"]

    page = client.get(
        "/suppliers/", {"q": "具有二级保密资格的北斗企业"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = page.content.decode()
    assert "已识别" in html and "武器装备科研生产单位保密资格（二级）" in html
    # The chip's ✕ searches without the phrase: the filter is gone.
    assert "?" + urlencode({"q": "具有 的北斗企业"}) in html


@pytest.mark.engine
def test_staff_size_and_industry_in_words_filter_and_show_as_one_chip_each(
    search_index, make_enterprise, client
) -> None:
    large = make_enterprise(
        "南宁北斗导航科技有限公司", staff_size="300-999", description="北斗终端。"
    )
    make_enterprise("柳州北斗应用有限公司", staff_size="20-99", description="北斗授时。")
    make_enterprise(
        "桂林制药有限公司", industries=["D0601"], staff_size="1000+", description="中药。"
    )
    search_index()

    results = supplier_search(AnonymousUser(), "100人以上的北斗企业")
    assert [hit.id for hit in results.hits] == [large.pk] and results.total == 1
    assert supplier_search(AnonymousUser(), "大健康领域 千人以上").total == 1

    html = client.get(
        "/suppliers/", {"q": "100人以上的北斗企业"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert html.count('class="chip"') == 1
    assert "人员规模 100–299 人、300–999 人、1000 人及以上" in html


@pytest.mark.engine
def test_gjb9001_finds_gjb_9001c_holders(search_index, make_enterprise) -> None:
    holder = make_enterprise(
        "玉林精密制造有限公司", qualifications=[qualification("gjb9001c", LATER)]
    )
    make_enterprise("玉林机械有限公司", description="通用机械加工。")
    search_index()
    for query in ("GJB9001", "gjb9001c", "GJB 9001C", "GJB 9001C-2017", "国军标质量体系"):
        results = supplier_search(AnonymousUser(), query)
        assert [hit.id for hit in results.hits] == [holder.pk], query


@pytest.mark.engine
def test_a_misspelt_company_name_gets_a_did_you_mean(search_index, make_enterprise, client):
    make_enterprise("广西北斗星通导航科技有限公司", description="北斗导航终端。")
    make_enterprise("柳州工程机械有限公司", description="装载机。")
    search_index()

    # 抖 for 斗 and 同 for 通: the same pinyin, the slips an input method makes.
    results = supplier_search(AnonymousUser(), "北抖星同")
    assert results.total == 0
    assert results.did_you_mean == "北斗星通"
    body = client.get("/api/v1/suppliers/", {"q": "北抖星同"}).json()
    assert body["count"] == 0 and body["did_you_mean"] == "北斗星通"
    html = client.get(
        "/suppliers/", {"q": "北抖星同"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "您是不是要找" in html and "?" + urlencode({"q": "北斗星通"}) in html
    # The suggestion finds it.
    assert supplier_search(AnonymousUser(), "北斗星通").total == 1
    # Something found: no suggestion; nothing alike: none either.
    assert supplier_search(AnonymousUser(), "北斗").did_you_mean == ""
    assert supplier_search(AnonymousUser(), "石墨烯").did_you_mean == ""


@pytest.mark.engine
def test_an_empty_result_offers_each_condition_taken_back(search_index, make_enterprise, client):
    make_enterprise("桂林北斗应用有限公司", region="450305", description="北斗导航终端。")
    make_enterprise("桂林北斗电子有限公司", region="450305", description="北斗授时设备。")
    search_index()

    results = supplier_search(AnonymousUser(), "柳州 北斗")
    assert results.total == 0
    assert results.relaxed == {"region": 2}
    assert results.did_you_mean == ""  # the words are right; the region emptied the list
    body = client.get("/api/v1/suppliers/", {"q": "柳州 北斗"}).json()
    assert body["relaxed"] == [{"facet": "region", "count": 2}]
    html = client.get(
        "/suppliers/", {"q": "柳州 北斗"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "去掉条件 所在地区 柳州市 后有 2 家" in html
    assert "?" + urlencode({"q": "北斗"}) in html
