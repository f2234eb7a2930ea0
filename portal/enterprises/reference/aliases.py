"""Reference data of the enterprise registry and its two alias tables (qualifications, industries).

The JSON files beside this module are the single source of the registry's fixed vocabularies:
Guangxi regions (GB/T 2260), the Guangxi plan's industry directions mapped to GB/T 4754-2017
classes, and the qualification types (``docs/data.md``). They are read once per process
(``functools.cache``) because imports, forms and search facets all ask for them, and they only
change with a deploy.

Agencies' spreadsheets name qualifications in many ways (二级保密资格, GJB9001C, 专精特新小巨人 …).
``normalise_qualification`` maps a cell fragment to a type only through the explicit alias table
in ``qualification_types.json``: after normalising width, spaces, quotes, dashes and case, the text
must equal an alias exactly. Anything else returns ``None`` so that the import reports a row
error instead of guessing.

Industries work the same way: agencies write the plan's section headings (智能装备), its paragraph
wording (云计算及大数据, 修造船) and short forms (北斗, 机器人). ``normalise_industry`` maps such a
name to industry codes only through ``industry_aliases.json``, and is the one entry point for
every caller that turns a written industry into codes (the import now, search queries later).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent

# Quotes people type around 小巨人 (ASCII, Chinese curly, corner brackets); they carry no meaning.
_QUOTES = "\"'“”‘’「」『』"
# Dashes that NFKC leaves alone but that mean "-" in a standard number (GJB 9001C—2017).
_DASHES = "‐‑‒–—―−﹣"
_DROP = str.maketrans("", "", _QUOTES)
_TO_HYPHEN = str.maketrans(_DASHES, "-" * len(_DASHES))
_SPACE = re.compile(r"\s+")


def _load(name: str) -> Any:
    with (REFERENCE_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def load_regions() -> list[dict[str, Any]]:
    """Guangxi regions: ``{"code", "name", "parent", "level"}`` with level province/city/county."""
    return _load("regions.json")


@cache
def load_region_codes() -> frozenset[str]:
    """All Guangxi region codes, for ``validate_uscc(known_area_codes=...)`` and form checks."""
    return frozenset(region["code"] for region in load_regions())


@cache
def load_industries() -> list[dict[str, Any]]:
    """Industry directions of the Guangxi plan (two levels), each with the GB/T 4754-2017 classes
    it covers.

    A node's ``gbt4754`` lists only its own classes; a direction's full coverage is its own list
    plus its children's, see ``industry_gbt4754_codes``.
    """
    return _load("industries.json")


@cache
def load_gbt4754() -> dict[str, str]:
    """Chinese names of the GB/T 4754-2017 classes used by ``industries.json``."""
    return _load("gbt4754.json")


def industry_gbt4754_codes(code: str) -> list[str]:
    """GB/T 4754 classes of an industry node and its children, so a facet on 新材料 finds 石墨烯."""
    nodes = [node for node in load_industries() if code in (node["code"], node["parent"])]
    return sorted({gb for node in nodes for gb in node["gbt4754"]})


@cache
def load_qualification_types() -> list[dict[str, Any]]:
    """Qualification types: ``{"code", "name", "name_en", "levels", "aliases"}``."""
    return _load("qualification_types.json")


@cache
def load_industry_aliases() -> list[dict[str, Any]]:
    """Industry aliases: ``{"text", "codes"}``; most name one code, a few name several."""
    return _load("industry_aliases.json")


def normalise_text(text: str) -> str:
    """Fold the spelling differences that do not change meaning in a spreadsheet cell.

    NFKC turns full-width letters, digits, colons and brackets into ASCII (ＧＪＢ９００１Ｃ,
    （注册）); quotes and all whitespace are dropped; dashes become "-"; letters are upper-cased.
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.translate(_DROP).translate(_TO_HYPHEN)
    return _SPACE.sub("", folded).upper()


@cache
def alias_table() -> dict[str, tuple[str, str]]:
    """Normalised alias -> (type code, level); each type's own name is an alias too.

    Two aliases that normalise alike must agree, otherwise the table is ambiguous and loading
    fails loudly rather than letting the last entry win.
    """
    table: dict[str, tuple[str, str]] = {}
    for qualification in load_qualification_types():
        entries = [{"text": qualification["name"]}, *qualification["aliases"]]
        for alias in entries:
            level = alias.get("level", "")
            if level and level not in qualification["levels"]:
                raise ValueError(f"alias {alias['text']!r} has unknown level {level!r}")
            key = normalise_text(alias["text"])
            target = (qualification["code"], level)
            if table.setdefault(key, target) != target:
                raise ValueError(f"alias {alias['text']!r} maps to both {table[key]} and {target}")
    return table


def normalise_qualification(text: str) -> tuple[str, str] | None:
    """Map a spreadsheet fragment to ``(type code, level or "")``, or ``None`` if not in the table.

    Exact match after ``normalise_text`` only: "二级保密资格" and "保密资格（二级）" map to
    ``("secrecy", "二级")``, but "专精特新中小企业" (a different, provincial title) maps to nothing.
    """
    return alias_table().get(normalise_text(text))


@cache
def industry_alias_table() -> dict[str, tuple[str, ...]]:
    """Normalised spelling -> industry codes (sorted): every code, name and alias.

    A GB/T 4754 class listed by exactly one direction maps to it as well, so that an agency's
    list keyed by national classes still reads; a class two directions share maps to nothing.
    Aliases must name known codes, and two spellings that fold alike must agree (an alias may
    not take another direction's own name), otherwise loading fails loudly.
    """
    industries = load_industries()
    known = {industry["code"] for industry in industries}
    table: dict[str, tuple[str, ...]] = {}

    def add(text: str, codes: tuple[str, ...]) -> None:
        key = normalise_text(text)
        if table.setdefault(key, codes) != codes:
            raise ValueError(f"industry {text!r} maps to both {table[key]} and {codes}")

    for industry in industries:
        add(industry["code"], (industry["code"],))
        add(industry["name"], (industry["code"],))
    for alias in load_industry_aliases():
        codes = tuple(sorted(set(alias["codes"])))
        if not codes or not known.issuperset(codes):
            raise ValueError(f"industry alias {alias['text']!r} names unknown codes {codes}")
        add(alias["text"], codes)
    owners: dict[str, set[str]] = {}
    for industry in industries:
        for gb in industry["gbt4754"]:
            owners.setdefault(gb, set()).add(industry["code"])
    for gb, codes in owners.items():
        if len(codes) == 1:
            table.setdefault(gb, tuple(codes))
    return table


def normalise_industry(text: str) -> list[str] | None:
    """Map a written industry to its codes, or ``None`` if it is not in the table.

    Exact match after ``normalise_text`` only: 智能装备 and （二）智能装备 map to ``["D02"]``,
    北斗 to ``["D0101"]``, 节能环保装备 to ``["D0301", "D0302"]``; 智能制造 (which could mean
    the direction or its sub-direction 智能制造装备) maps to nothing.
    """
    codes = industry_alias_table().get(normalise_text(text))
    return list(codes) if codes is not None else None
