"""Reference data (regions, industries, GB/T 4754, qualification types) and the alias table."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from portal.enterprises.reference.aliases import (
    alias_table,
    industry_gbt4754_codes,
    load_gbt4754,
    load_industries,
    load_qualification_types,
    load_region_codes,
    load_regions,
    normalise_qualification,
    normalise_text,
)

SEED_CITIES = {
    "450100": "南宁市",
    "450200": "柳州市",
    "450300": "桂林市",
    "450400": "梧州市",
    "450500": "北海市",
    "450600": "防城港市",
    "450700": "钦州市",
    "450800": "贵港市",
    "450900": "玉林市",
    "451000": "百色市",
    "451100": "贺州市",
    "451200": "河池市",
    "451300": "来宾市",
    "451400": "崇左市",
}


def by_level(level: str) -> list[dict]:
    return [region for region in load_regions() if region["level"] == level]


# Regions -----------------------------------------------------------------------------------


def test_one_province_with_no_parent():
    (province,) = by_level("province")
    assert province == {
        "code": "450000",
        "name": "广西壮族自治区",
        "parent": None,
        "level": "province",
    }


def test_the_fourteen_cities():
    cities = by_level("city")
    assert {city["code"]: city["name"] for city in cities} == SEED_CITIES
    assert all(city["parent"] == "450000" for city in cities)


def test_counties_belong_to_cities():
    counties = by_level("county")
    assert len(counties) == 111  # 41 市辖区, 10 县级市, 48 县, 12 自治县
    for county in counties:
        assert county["parent"] in SEED_CITIES, county
        assert county["code"][:4] == county["parent"][:4], county
        assert county["name"].endswith(("区", "县", "市")), county


def test_county_kinds():
    names = [county["name"] for county in by_level("county")]
    autonomous = [name for name in names if name.endswith("自治县")]
    assert len(autonomous) == 12
    assert sum(name.endswith("区") for name in names) == 41
    assert sum(name.endswith("市") for name in names) == 10
    assert len(names) - 41 - 10 - 12 == 48


def test_region_codes_are_unique_six_digit_guangxi_codes():
    codes = [region["code"] for region in load_regions()]
    assert len(codes) == len(set(codes)) == len(load_region_codes())
    assert all(re.fullmatch(r"45\d{4}", code) for code in codes)
    assert {region["level"] for region in load_regions()} == {"province", "city", "county"}


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("450181", "横州市"),
        ("450312", "临桂区"),
        ("450381", "荔浦市"),
        ("450406", "龙圩区"),
        ("450481", "岑溪市"),
        ("450512", "铁山港区"),
        ("450681", "东兴市"),
        ("450721", "灵山县"),
        ("450722", "浦北县"),
        ("450881", "桂平市"),
        ("450903", "福绵区"),
        ("450981", "北流市"),
        ("451003", "田阳区"),
        ("451081", "靖西市"),
        ("451082", "平果市"),
        ("451103", "平桂区"),
        ("451203", "宜州区"),
        ("451381", "合山市"),
        ("451481", "凭祥市"),
    ],
)
def test_current_codes_after_recent_changes(code, name):
    assert {region["code"]: region["name"] for region in load_regions()}[code] == name


def test_retired_codes_are_absent():
    codes = load_region_codes()
    for retired in ("450127", "450331", "451021", "451023", "450221"):  # 横县 荔浦县 田阳县 平果县
        assert retired not in codes


# Industries --------------------------------------------------------------------------------


def test_industry_tree_shape():
    industries = load_industries()
    codes = [node["code"] for node in industries]
    assert len(codes) == len(set(codes))
    top = [node for node in industries if node["parent"] is None]
    children = [node for node in industries if node["parent"] is not None]
    assert [node["name"] for node in top] == [
        "新一代信息技术",
        "智能装备制造",
        "节能环保",
        "新材料",
        "新能源汽车",
        "大健康",
    ]
    assert 12 <= len(children) <= 20
    top_codes = {node["code"] for node in top}
    for child in children:
        assert child["parent"] in top_codes
        assert child["code"].startswith(child["parent"])
    for node in industries:
        assert node["name_en"]
        assert node["gbt4754"], node


def test_seed_directions_are_present_under_the_right_parent():
    parent_of = {node["name"]: node["parent"] for node in load_industries()}
    assert parent_of["北斗导航"] == "D01"
    assert parent_of["石墨烯"] == "D04"
    assert parent_of["稀土"] == "D04"
    assert parent_of["工业机器人"] == "D02"
    assert parent_of["生物医药"] == "D06"
    assert parent_of["医疗器械"] == "D06"


def test_every_gbt4754_code_has_a_name():
    names = load_gbt4754()
    used = {code for node in load_industries() for code in node["gbt4754"]}
    assert used == set(names)
    assert all(re.fullmatch(r"\d{4}", code) for code in names)
    assert all(name.strip() == name and name for name in names.values())


def test_known_gbt4754_classes():
    names = load_gbt4754()
    assert names["3612"] == "新能源车整车制造"
    assert names["3091"] == "石墨及碳素制品制造"
    assert names["3232"] == "稀土金属冶炼"
    assert names["4023"] == "导航、测绘、气象及海洋专用仪器制造"
    assert names["3491"] == "工业机器人制造"


def test_a_direction_covers_its_children():
    codes = industry_gbt4754_codes("D04")
    assert "3091" in codes  # 石墨烯
    assert "3232" in codes  # 稀土
    assert "7513" in codes  # its own
    assert industry_gbt4754_codes("D0401") == ["3091"]


# Qualification types and aliases -----------------------------------------------------------


def test_qualification_types():
    types = {item["code"]: item for item in load_qualification_types()}
    assert set(types) == {
        "weapons_license",
        "equipment_supplier",
        "secrecy",
        "gjb9001c",
        "high_tech",
        "little_giant",
        "iso9001",
    }
    assert types["secrecy"]["levels"] == ["一级", "二级", "三级"]
    for code, item in types.items():
        assert item["name"] and item["name_en"], code
        if code != "secrecy":
            assert item["levels"] == [], code


def test_every_alias_maps_to_its_own_type():
    for item in load_qualification_types():
        for alias in item["aliases"]:
            assert normalise_qualification(alias["text"]) == (
                item["code"],
                alias.get("level", ""),
            ), alias
        assert normalise_qualification(item["name"]) == (item["code"], "")


def test_alias_table_has_no_conflicts_and_no_duplicate_entries():
    alias_table.cache_clear()
    table = alias_table()
    assert table
    for item in load_qualification_types():
        keys = Counter(normalise_text(alias["text"]) for alias in item["aliases"])
        assert max(keys.values()) == 1, item["code"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("保密资格二级", ("secrecy", "二级")),
        ("二级保密资格", ("secrecy", "二级")),
        ("二级保密", ("secrecy", "二级")),
        ("保密二级", ("secrecy", "二级")),
        ("保密资格（二级）", ("secrecy", "二级")),
        ("一级保密资格", ("secrecy", "一级")),
        ("三级保密资格", ("secrecy", "三级")),
        ("武器装备科研生产单位二级保密资格", ("secrecy", "二级")),
        ("武器装备科研生产单位保密资格", ("secrecy", "")),
        ("GJB9001C", ("gjb9001c", "")),
        ("GJB 9001C-2017", ("gjb9001c", "")),
        ("GJB9001C-2017", ("gjb9001c", "")),
        ("gjb9001c—2017", ("gjb9001c", "")),
        ("ＧＪＢ９００１Ｃ", ("gjb9001c", "")),
        ("国军标质量体系认证", ("gjb9001c", "")),
        ("国军标认证", ("gjb9001c", "")),
        ("装备承制资格", ("equipment_supplier", "")),
        ("装备承制单位注册", ("equipment_supplier", "")),
        ("装备承制单位资格(注册)", ("equipment_supplier", "")),
        ("武器装备科研生产许可", ("weapons_license", "")),
        ("科研生产许可证", ("weapons_license", "")),
        ("高新技术企业", ("high_tech", "")),
        ("国家级高新技术企业", ("high_tech", "")),
        ("专精特新小巨人", ("little_giant", "")),
        ("专精特新“小巨人”", ("little_giant", "")),
        ('专精特新"小巨人"', ("little_giant", "")),
        ("国家级专精特新小巨人企业", ("little_giant", "")),
        ("ISO9001", ("iso9001", "")),
        ("iso 9001", ("iso9001", "")),
        ("ISO 9001:2015", ("iso9001", "")),
        ("ISO9001：2015", ("iso9001", "")),
        ("ISO9001:2015 质量管理体系认证", ("iso9001", "")),
        ("  ISO 9001 : 2015\u3000", ("iso9001", "")),
    ],
)
def test_spreadsheet_variants(text, expected):
    assert normalise_qualification(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "保密",
        "四级保密资格",
        "专精特新中小企业",  # a provincial title, not the national 小巨人
        "GJB9001B",  # the superseded 2009 edition is not the C edition
        "ISO 14001",
        "高新技术",
        "二级保密资格证 有效",
        "小巨人",
    ],
)
def test_unknown_text_maps_to_nothing(text):
    assert normalise_qualification(text) is None
