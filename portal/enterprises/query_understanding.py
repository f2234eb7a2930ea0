"""What a supplier query says besides its search words: qualifications, regions, industries,
staff sizes and ownership.

Procurement officers type what they want in words: "二级保密资格 北斗", "柳州的无人机企业",
"通过GJB9001C认证的民营企业". Searched as text, such words match every profile that mentions them
anywhere, and the count says nothing. Understood, they become the filters the officer would have
chosen from the facets, shown as removable chips, and only the remaining words are searched.

The vocabulary is the registry's own reference data, matched exactly after the same folding
the import uses (``aliases.normalise_text``: width, case, spaces, dashes): the qualification
alias table, the names of Guangxi's regions (a city also without 市), an industry's names and
aliases when a word marks them as the industry (北斗产业, 大健康领域: alone, 北斗 is searched as
text, since firms of other industries make Beidou products too), staff counts in numbers (100人以上)
or enterprise sizes (小微企业), and a short list of ownership words. Longest phrase first;
nothing is guessed. Words that carry no meaning in a
supplier query (的, 企业, 具有 …) are dropped from what is left.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from search.analysis import tokens

from .models import Ownership, Region
from .reference.aliases import alias_table, industry_alias_table, normalise_text
from .search_indexes import (
    industry_labels,
    ownership_labels,
    qualification_labels,
    reference,
    region_labels,
    staff_size_labels,
)

#: Words that only frame a supplier query ("有二级保密资格的企业").
FUNCTION_WORDS = frozenset(
    {"有", "具有", "具备", "拥有", "取得", "通过", "认证", "认证的", "的", "企业", "公司", "单位"}
    | {"厂家", "厂商", "供应商", "生产商", "和", "及", "或", "在"}
)

#: Ownership as people write it -> the facet value.
OWNERSHIP_WORDS = {
    "国有": Ownership.STATE,
    "国企": Ownership.STATE,
    "国有企业": Ownership.STATE,
    "央企": Ownership.STATE,
    "民营": Ownership.PRIVATE,
    "民企": Ownership.PRIVATE,
    "民营企业": Ownership.PRIVATE,
    "私营": Ownership.PRIVATE,
    "外资": Ownership.FOREIGN,
    "外商投资": Ownership.FOREIGN,
    "外资企业": Ownership.FOREIGN,
    "混合所有制": Ownership.MIXED,
}


@dataclass(frozen=True)
class Understood:
    """A filter read from the query: its facet, value and label, and the words that said it."""

    facet: str
    key: str
    label: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"facet": self.facet, "key": self.key, "label": self.label, "text": self.text}


#: Words after an industry's name that mark it as the industry, not a product (北斗产业).
INDUSTRY_MARKERS = ("产业", "行业", "领域", "板块")

#: Enterprise sizes by the statistics office's rule for industry (staff: micro < 20, small
#: < 300, medium < 1,000, large from 1,000) -> the staff-size bands they cover.
SIZE_WORDS = {
    "微型企业": ("lt20",),
    "小型企业": ("20-99", "100-299"),
    "小微企业": ("lt20", "20-99", "100-299"),
    "中型企业": ("300-999",),
    "中小企业": ("lt20", "20-99", "100-299", "300-999"),
    "大型企业": ("1000+",),
    "千人以上": ("1000+",),
}

#: Staff counts in words: "100人以上", "不足50人", "300-999人" (以上 and 以下 include the number,
#: as in law; 不足 and 少于 do not).
_AT_LEAST = re.compile(r"(?:超过|多于|不少于)?(\d+)\s*(?:名|个)?(?:人|员工)(?:及)?以上")
_FEWER_THAN = re.compile(r"(?:不足|少于|低于)(\d+)\s*(?:名|个)?(?:人|员工)")
_AT_MOST = re.compile(r"(\d+)\s*(?:名|个)?(?:人|员工)(?:及)?以下")
_BETWEEN = re.compile(r"(\d+)\s*[-~至到]\s*(\d+)\s*(?:人|名员工)")

#: The staff-size bands as (value, fewest, most) staff.
_BANDS = [("lt20", 0, 19), ("20-99", 20, 99), ("100-299", 100, 299), ("300-999", 300, 999)]
_BANDS.append(("1000+", 1000, 10**9))


def _bands(fewest: int, most: int) -> tuple[str, ...]:
    """The bands that hold any staff count from ``fewest`` to ``most``."""
    return tuple(value for value, low, high in _BANDS if low <= most and high >= fewest)


def _size_spans(folded: str) -> list[tuple[int, int, tuple[str, tuple[str, ...]]]]:
    """(start, end, meaning) of every staff count said in numbers."""
    found = []
    for match in _AT_LEAST.finditer(folded):
        found.append((match.start(), match.end(), _bands(int(match[1]), 10**9)))
    for match in _FEWER_THAN.finditer(folded):
        found.append((match.start(), match.end(), _bands(0, int(match[1]) - 1)))
    for match in _AT_MOST.finditer(folded):
        found.append((match.start(), match.end(), _bands(0, int(match[1]))))
    for match in _BETWEEN.finditer(folded):
        found.append((match.start(), match.end(), _bands(int(match[1]), int(match[2]))))
    return [(start, end, ("size", bands)) for start, end, bands in found if bands]


@functools.cache  # reference data changes only with a release (migrations)
def vocabulary() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Folded phrase -> (facet, values)."""
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for phrase, (code, level) in alias_table().items():
        found[phrase] = ("qualification", (f"{code}:{level}" if level else code,))
    for code, name, level in Region.objects.values_list("code", "name", "level"):
        found[normalise_text(name)] = ("region", (code,))
        if level == Region.Level.CITY and name.endswith("市"):
            found[normalise_text(name[:-1])] = ("region", (code,))
        if level == Region.Level.PROVINCE:
            found[normalise_text("广西")] = ("region", (code,))
    for phrase, codes in industry_alias_table().items():
        if not phrase.isascii():  # GB/T 4754 class numbers are no words people search with
            for marker in INDUSTRY_MARKERS:
                found.setdefault(phrase + marker, ("industry", codes))
    for word, value in OWNERSHIP_WORDS.items():
        found[normalise_text(word)] = ("ownership", (str(value),))
    for word, bands in SIZE_WORDS.items():
        found[normalise_text(word)] = ("size", bands)
    return found


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` folded as the vocabulary is, with the position in ``text`` of each character."""
    folded: list[str] = []
    origin: list[int] = []
    for position, character in enumerate(text):
        for piece in normalise_text(unicodedata.normalize("NFKC", character)):
            folded.append(piece)
            origin.append(position)
    return "".join(folded), origin


def _is_code_character(character: str) -> bool:
    return character.isascii() and character.isalnum()


def _matches(folded: str) -> list[tuple[int, int, tuple[str, tuple[str, ...]]]]:
    """(start, end, meaning) of the staff counts and of the longest vocabulary phrases, left to
    right, not overlapping. A phrase in Latin letters and digits (GJB9001C, ISO9001) must stand
    apart from other letters and digits, so that ISO9001 does not match inside ISO90010."""
    known = vocabulary()
    longest = max(map(len, known), default=0)
    found = _size_spans(folded)
    counted = {position for start, end, _meaning in found for position in range(start, end)}
    start = 0
    while start < len(folded):
        for end in range(min(len(folded), start + longest), start, -1):
            meaning = known.get(folded[start:end])
            if meaning is None or counted.intersection(range(start, end)):
                continue
            before = folded[start - 1] if start else ""
            after = folded[end] if end < len(folded) else ""
            if _is_code_character(folded[end - 1]) and _is_code_character(after):
                continue
            if _is_code_character(folded[start]) and _is_code_character(before):
                continue
            found.append((start, end, meaning))
            start = end
            break
        else:
            start += 1
    return sorted(found)


def _labels(facet: str) -> dict[str, str]:
    return {
        "qualification": qualification_labels,
        "region": region_labels,
        "industry": industry_labels,
        "size": staff_size_labels,
        "ownership": ownership_labels,
    }[facet]()


def _innermost_regions(understood: list[Understood]) -> list[Understood]:
    """Without the regions that hold another region named too: 广西柳州 means 柳州, and two
    values of one facet would otherwise widen the filter to all of Guangxi."""
    ancestors = reference().region_codes
    inner = {
        code
        for found in understood
        if found.facet == "region"
        for code in ancestors.get(found.key, [])
        if code != found.key
    }
    return [found for found in understood if found.facet != "region" or found.key not in inner]


def understand(text: str) -> tuple[str, list[Understood]]:
    """(the words left to search, the filters the text named). Without a known phrase or a
    function word the text comes back unchanged."""
    if not text:
        return text, []
    folded, origin = _folded(text)
    understood: list[Understood] = []
    taken = [False] * len(text)
    for start, end, (facet, keys) in _matches(folded):
        first, last = origin[start], origin[end - 1]
        words = text[first : last + 1].strip()
        understood += [Understood(facet, key, _labels(facet).get(key, key), words) for key in keys]
        for position in range(first, last + 1):
            taken[position] = True
    understood = _innermost_regions(understood)
    rest = "".join(" " if gone else character for character, gone in zip(text, taken, strict=True))
    kept = [token for token in tokens(rest) if token.strip() not in FUNCTION_WORDS]
    if not understood and "".join(kept) == rest:
        return text, []
    return " ".join("".join(kept).split()), understood
