"""Word segmentation: jieba-rs (rjieba) with the domain dictionary cuts as the reference Python
jieba does with the same dictionary, on the demo registry's texts and on hand-written ones;
standard codes are joined before either cuts."""

from __future__ import annotations

import random

import jieba
import pytest

from portal.enterprises.demo import Generator
from search.analysis import (
    DATA_DIR,
    SYNONYM_FREQUENCY,
    normalise_codes,
    segment,
    synonym_words,
)


def _reference_segment(text: str, for_index: bool) -> str:
    """What the index held when Python jieba cut it (the words with a letter or digit)."""
    cut = _jieba().cut_for_search if for_index else _jieba().cut
    words = (word.strip() for word in cut(normalise_codes(text), HMM=True))
    return " ".join(w for w in words if w and any(ch.isalnum() for ch in w))


_tokenizer: jieba.Tokenizer | None = None


def _jieba() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        _tokenizer = jieba.Tokenizer()
        _tokenizer.load_userdict(str(DATA_DIR / "dictionary.txt"))
        lines = (DATA_DIR / "dictionary.txt").read_text(encoding="utf-8").splitlines()
        listed = {line.split()[0] for line in lines if line.strip()}
        for word in synonym_words():
            if word not in listed:
                _tokenizer.add_word(word, SYNONYM_FREQUENCY)
    return _tokenizer


def _demo_texts(count: int = 300) -> list[str]:
    generator = Generator(random.Random(5))
    texts: list[str] = []
    for _ in range(count):
        data = generator.enterprise()
        texts += [data["name"], data["short_name"], data["description"], data["capabilities"]]
        for item in data["products"] + data["technologies"]:
            texts += [item["name"], item["description"]]
    return [text for text in texts if text]


HAND_WRITTEN = [
    "广西北斗导航科技有限公司成立于2010年，主要产品有北斗高精度定位终端、RTK高精度定位算法。",
    "稀土永磁材料/钕铁硼永磁体 ＡＢＣ１２３ φ100mm",
    "武器装备科研生产许可证\n石墨烯导热膜\t\t无人机 飞控系统（固定翼）",
    "",
    "   ",
]


def _hyphens_apart(words: str) -> str:
    """The one known difference: jieba-rs keeps a hyphenated code whole (GB18918-2002, and in
    search mode GB18918 before it), Python jieba cuts it at the hyphen."""
    parts: list[str] = []
    for part in (piece for word in words.split() for piece in word.split("-")):
        if not parts or parts[-1] != part:
            parts.append(part)
    return " ".join(parts)


@pytest.mark.parametrize("for_index", [True, False])
def test_segmentation_equals_python_jieba(for_index: bool) -> None:
    texts = _demo_texts() + HAND_WRITTEN
    differing = [
        (text, segment(text, for_index=for_index), _reference_segment(text, for_index))
        for text in texts
        if _hyphens_apart(segment(text, for_index=for_index))
        != _hyphens_apart(_reference_segment(text, for_index))
    ]
    assert len(texts) > 1500 and differing == []


def test_domain_words_stay_whole_and_search_mode_adds_their_parts() -> None:
    assert segment("稀土永磁材料和北斗导航") == "稀土永磁材料 和 北斗导航"
    indexed = segment("稀土永磁材料和北斗导航", for_index=True).split()
    assert {"稀土", "永磁", "材料", "稀土永磁材料", "北斗", "导航", "北斗导航"} <= set(indexed)


def test_standard_numbers_are_one_word_however_written() -> None:
    """A code is joined to its letters before the cut (GJB 150A, GJB150A and gjb 150a are one
    word); a hyphenated year stays with it, and search mode adds the code without the year, so
    ``GJB 9001C`` finds ``GJB 9001C-2017``."""
    assert segment("GJB 9001C-2017 认证").split() == ["GJB9001C-2017", "认证"]
    assert {"GJB9001C", "GJB9001C-2017"} <= set(segment("GJB 9001C-2017", for_index=True).split())
    assert segment("符合GJB 150A要求") == "符合 GJB150A 要求"
    assert segment("GB/T 4754-2017") == segment("GB4754-2017") == "GB4754-2017"
    assert segment("ISO 9001") == segment("iso9001").upper() == "ISO9001"
    assert segment("SGB 12") == "SGB 12"  # not a code: letters before it
