"""The suggestion field's pinyin: the forms pypinyin gives for the whole phrase, word by word."""

from __future__ import annotations

import pytest
from pypinyin import Style, lazy_pinyin

from search.analysis import pinyin_forms, suggestion_inputs

PHRASES = [
    "北斗导航",
    "重庆长安汽车股份有限公司",  # 重 and 长 read differently in other words
    "长沙银行",
    "广西柳州钢铁集团有限公司",
    "GJB 9001C 质量管理体系",
    "稀土永磁同步电机",
    "女装",
]


@pytest.mark.parametrize("phrase", PHRASES)
def test_pinyin_forms_match_pypinyin_on_the_whole_phrase(phrase: str) -> None:
    initials = "".join(lazy_pinyin(phrase, style=Style.FIRST_LETTER, errors="ignore")).lower()
    full = "".join(lazy_pinyin(phrase, errors="ignore")).lower()
    assert pinyin_forms(phrase) == (initials, full)


def test_suggestion_inputs_carry_phrase_initials_and_pinyin() -> None:
    assert suggestion_inputs(["北斗导航", " ", "北斗导航"]) == ["北斗导航", "bddh", "beidoudaohang"]
    assert pinyin_forms("重庆") == ("cq", "chongqing")
