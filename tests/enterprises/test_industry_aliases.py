"""The industry alias table (``normalise_industry``) and the nearest names of unknown ones."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.utils import translation

from portal.enterprises.importing.rows import unknown_industry_message
from portal.enterprises.reference import aliases
from portal.enterprises.reference.aliases import (
    industry_alias_table,
    load_industries,
    load_industry_aliases,
    normalise_industry,
    normalise_text,
)
from portal.enterprises.reference.nearest import nearest_industry_names, similarity

ROOT = Path(__file__).resolve().parents[2]


# The table ---------------------------------------------------------------------------------


def test_every_alias_names_existing_codes_and_maps_to_them():
    known = {industry["code"] for industry in load_industries()}
    aliases = load_industry_aliases()
    assert len(aliases) >= 100
    for alias in aliases:
        assert alias["codes"], alias
        assert set(alias["codes"]) <= known, alias
        assert normalise_industry(alias["text"]) == sorted(set(alias["codes"])), alias


def test_no_alias_takes_another_directions_own_name_or_code():
    own = {normalise_text(node["name"]): node["code"] for node in load_industries()}
    own |= {normalise_text(node["code"]): node["code"] for node in load_industries()}
    for alias in load_industry_aliases():
        key = normalise_text(alias["text"])
        if key in own:
            assert alias["codes"] == [own[key]], alias
    for spelling, code in own.items():
        assert normalise_industry(spelling) == [code]


def test_aliases_are_listed_once():
    folded = Counter(normalise_text(alias["text"]) for alias in load_industry_aliases())
    assert [text for text, count in folded.items() if count > 1] == []


def test_loading_fails_on_an_alias_with_another_meaning(monkeypatch):
    clash = [{"text": "北斗导航", "codes": ["D02"]}]
    monkeypatch.setattr(aliases, "load_industry_aliases", lambda: clash)
    industry_alias_table.cache_clear()
    try:
        with pytest.raises(ValueError, match="北斗导航"):
            industry_alias_table()
    finally:
        monkeypatch.undo()
        industry_alias_table.cache_clear()
    assert normalise_industry("北斗导航") == ["D0101"]


def test_loading_fails_on_an_unknown_code(monkeypatch):
    monkeypatch.setattr(
        aliases, "load_industry_aliases", lambda: [{"text": "量子", "codes": ["D99"]}]
    )
    industry_alias_table.cache_clear()
    try:
        with pytest.raises(ValueError, match="unknown codes"):
            industry_alias_table()
    finally:
        monkeypatch.undo()
        industry_alias_table.cache_clear()
    assert normalise_industry("量子") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The plan's section headings name the direction itself.
        ("智能装备", ["D02"]),
        ("（二）智能装备", ["D02"]),
        ("(二) 智能装备", ["D02"]),
        ("大健康", ["D06"]),
        ("（六）大健康", ["D06"]),
        ("新一代信息技术", ["D01"]),
        ("智能装备制造", ["D02"]),
        ("高端装备制造", ["D02"]),
        # Paragraph wording and short forms name a sub-direction.
        ("北斗", ["D0101"]),
        ("北斗卫星导航", ["D0101"]),
        ("大数据", ["D0102"]),
        ("云计算及大数据", ["D0102"]),
        ("通讯设备和终端制造", ["D0104"]),
        ("机器人", ["D0201"]),
        ("数控机床", ["D0202"]),
        ("修造船", ["D0206"]),
        ("海工装备", ["D0206"]),
        ("新材料产业", ["D04"]),
        ("石墨烯新材料", ["D0401"]),
        ("稀土功能材料", ["D0402"]),
        ("锂离子动力电池", ["D0501"]),
        ("充电桩", ["D0502"]),
        ("现代中药及民族药", ["D0601"]),
        ("iot", ["D0103"]),
        # Two sub-directions at once.
        ("节能环保装备", ["D0301", "D0302"]),
        ("生物医药及医疗器械", ["D0601", "D0602"]),
        # Codes in any case and width, and a GB/T 4754 class one direction owns.
        ("d0101", ["D0101"]),
        ("Ｄ０２", ["D02"]),
        ("3491", ["D0201"]),
        (" 北斗 导航\u3000", ["D0101"]),
    ],
)
def test_plan_names_and_short_forms(text, expected):
    assert normalise_industry(text) == expected


@pytest.mark.parametrize(
    "text", ["", "智能制造", "装备制造", "有色金属", "新能源", "量子玄学", "北斗导航终端", "D99"]
)
def test_unknown_or_ambiguous_names_map_to_nothing(text):
    assert normalise_industry(text) is None


def test_the_result_is_a_fresh_list():
    codes = normalise_industry("节能环保装备")
    assert codes is not None
    codes.append("D01")
    assert normalise_industry("节能环保装备") == ["D0301", "D0302"]


def test_every_alias_is_in_the_format_guide():
    guide = (ROOT / "docs" / "import-format.md").read_text(encoding="utf-8")
    missing = [alias["text"] for alias in load_industry_aliases() if alias["text"] not in guide]
    assert missing == []


# Nearest names -----------------------------------------------------------------------------


def test_similarity_is_the_dice_coefficient_of_bigrams():
    assert similarity("智能制造", "智能制造装备") == pytest.approx(0.75)
    assert similarity("智能制造", "智能制造") == 1.0
    assert similarity("量子玄学", "北斗导航") == 0.0
    assert similarity("", "北斗导航") == 0.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("智能制造", ["智能制造装备", "智能装备制造"]),
        ("机器人产业", ["工业机器人"]),  # through the alias 机器人, shown by the direction's name
        ("北斗导航终端", ["北斗导航"]),
        ("有色金属", ["有色金属新材料"]),
        ("新能源", ["新能源汽车"]),
        ("量子玄学", []),
        ("", []),
    ],
)
def test_nearest_names(text, expected):
    assert nearest_industry_names(text) == expected


def test_at_most_three_names():
    assert len(nearest_industry_names("装备制造")) == 3
    assert len(nearest_industry_names("装备制造", limit=1)) == 1


def test_row_error_names_the_nearest_names_in_chinese_and_english():
    with translation.override("zh-hans"):
        assert unknown_industry_message("智能制造") == (
            "未知行业 智能制造，是否指：智能制造装备、智能装备制造？"
        )
        assert unknown_industry_message("量子玄学") == (
            "未知行业 量子玄学，请使用格式说明中的名称或代码。"
        )
    with translation.override("en"):
        assert unknown_industry_message("智能制造") == (
            "Unknown industry 智能制造; did you mean: 智能制造装备、智能装备制造?"
        )
