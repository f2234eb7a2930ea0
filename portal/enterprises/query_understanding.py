"""What a supplier query says besides its search words: qualifications, regions, ownership.

Procurement officers type what they want in words: "二级保密资格 北斗", "柳州的无人机企业",
"通过GJB9001C认证的民营企业". Searched as text, such words match every profile that mentions them
anywhere, and the count says nothing. Understood, they become the filters the officer would have
chosen from the facets, shown as removable chips, and only the remaining words are searched.

The vocabulary is the registry's own reference data, matched exactly after the same folding
the import uses (``aliases.normalise_text``: width, case, spaces, dashes): the qualification
alias table, the names of Guangxi's regions (a city also without 市), and a short list of
ownership words. Longest phrase first; nothing is guessed. Words that carry no meaning in a
supplier query (的, 企业, 具有 …) are dropped from what is left.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from search.analysis import tokens

from .models import Ownership, Region
from .reference.aliases import alias_table, normalise_text
from .search_indexes import ownership_labels, qualification_labels, reference, region_labels

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


@functools.cache  # reference data changes only with a release (migrations)
def vocabulary() -> dict[str, tuple[str, str]]:
    """Folded phrase -> (facet, value)."""
    found: dict[str, tuple[str, str]] = {}
    for phrase, (code, level) in alias_table().items():
        found[phrase] = ("qualification", f"{code}:{level}" if level else code)
    for code, name, level in Region.objects.values_list("code", "name", "level"):
        found[normalise_text(name)] = ("region", code)
        if level == Region.Level.CITY and name.endswith("市"):
            found[normalise_text(name[:-1])] = ("region", code)
        if level == Region.Level.PROVINCE:
            found[normalise_text("广西")] = ("region", code)
    for word, value in OWNERSHIP_WORDS.items():
        found[normalise_text(word)] = ("ownership", str(value))
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


def _matches(folded: str) -> list[tuple[int, int, tuple[str, str]]]:
    """(start, end, meaning) of the longest vocabulary phrases, left to right, not overlapping.
    A phrase in Latin letters and digits (GJB9001C, ISO9001) must stand apart from other
    letters and digits, so that ISO9001 does not match inside ISO90010."""
    known = vocabulary()
    longest = max(map(len, known), default=0)
    found = []
    start = 0
    while start < len(folded):
        for end in range(min(len(folded), start + longest), start, -1):
            meaning = known.get(folded[start:end])
            if meaning is None:
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
    return found


def _labels(facet: str) -> dict[str, str]:
    return {
        "qualification": qualification_labels,
        "region": region_labels,
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
    for start, end, (facet, key) in _matches(folded):
        first, last = origin[start], origin[end - 1]
        words = text[first : last + 1].strip()
        understood.append(Understood(facet, key, _labels(facet).get(key, key), words))
        for position in range(first, last + 1):
            taken[position] = True
    understood = _innermost_regions(understood)
    rest = "".join(" " if gone else character for character, gone in zip(text, taken, strict=True))
    kept = [token for token in tokens(rest) if token.strip() not in FUNCTION_WORDS]
    if not understood and "".join(kept) == rest:
        return text, []
    return " ".join("".join(kept).split()), understood
