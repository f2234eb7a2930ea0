"""The spreadsheet format of the registry (docs/import-format.md): headers, separators, values.

Import and export share this one definition so that a file written by ``export_enterprises``
reads back unchanged. The columns themselves are declared with the fields they carry
(``fields.COLUMNS``); headers are Chinese because the agencies' lists are. Each maps to a
snapshot key (``fields.PROFILE_FIELDS``) or to one of the list columns handled in ``rows``.
"""

from __future__ import annotations

import re
from functools import cache

from ..fields import COLUMNS, Column
from ..models import StaffSize
from ..models.enterprise import Ownership
from ..reference.aliases import load_industries, load_qualification_types, load_regions

HEADER_TO_COLUMN: dict[str, Column] = {
    spelling: column for column in COLUMNS for spelling in (column.header, *column.aliases)
}
BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}

#: 行业, 主要产品, 核心技术 and 能力标签 hold several names; agencies use any of these.
LIST_SEPARATORS = re.compile(r"[、;；,，\n]+")
#: 资质 holds entries ``类型:编号:有效期至``; entries are separated by semicolons or new lines.
ENTRY_SEPARATORS = re.compile(r"[;；\n]+")
PART_SEPARATORS = re.compile(r"[:：]")

# What export writes between names; import accepts every separator above.
LIST_JOIN = "、"
ENTRY_JOIN = "；"

STAFF_SIZE_LABELS: dict[str, str] = {
    StaffSize.MICRO: "20人以下",
    StaffSize.SMALL: "20-99人",
    StaffSize.MEDIUM: "100-299人",
    StaffSize.LARGE: "300-999人",
    StaffSize.XLARGE: "1000人以上",
}
OWNERSHIP_LABELS: dict[str, str] = {
    Ownership.STATE: "国有",
    Ownership.PRIVATE: "民营",
    Ownership.FOREIGN: "外资",
    Ownership.MIXED: "混合所有制",
}
_OWNERSHIP_SPELLINGS = {
    "国有企业": Ownership.STATE,
    "国企": Ownership.STATE,
    "民营企业": Ownership.PRIVATE,
    "私营": Ownership.PRIVATE,
    "私营企业": Ownership.PRIVATE,
    "外资企业": Ownership.FOREIGN,
    "外商投资": Ownership.FOREIGN,
    "外商投资企业": Ownership.FOREIGN,
    "混合": Ownership.MIXED,
    "混合所有制企业": Ownership.MIXED,
}


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("～", "-").replace("~", "-").replace("—", "-")


@cache
def staff_size_lookup() -> dict[str, str]:
    table = {_fold(label): code for code, label in STAFF_SIZE_LABELS.items()}
    table.update({_fold(str(code)): code for code in StaffSize.values})
    table.update({"20人以下": StaffSize.MICRO, "少于20人": StaffSize.MICRO})
    table.update({"1000人及以上": StaffSize.XLARGE, "1000+人": StaffSize.XLARGE})
    return table


@cache
def ownership_lookup() -> dict[str, str]:
    table = {label: code for code, label in OWNERSHIP_LABELS.items()}
    table.update(_OWNERSHIP_SPELLINGS)
    table.update({str(code): code for code in Ownership.values})
    return table


def fold_choice(text: str) -> str:
    return _fold(text)


@cache
def region_lookup() -> dict[str, str]:
    """Every way a region is written -> its code: 450103, 青秀区, 南宁市青秀区, 广西南宁市青秀区.

    County names are unique within Guangxi (the reference data is checked for it), so a bare
    county name is accepted; a name that were ambiguous would be left out and reported.
    """
    regions = load_regions()
    names = {region["code"]: region["name"] for region in regions}
    table: dict[str, str] = {}
    seen: dict[str, int] = {}
    for region in regions:
        code, name = region["code"], region["name"]
        spellings = {code, name}
        if region["level"] == "county" and region["parent"]:
            city = names[region["parent"]]
            spellings |= {city + name}
        for spelling in spellings:
            seen[spelling] = seen.get(spelling, 0) + 1
            table[spelling] = code
    return {spelling: code for spelling, code in table.items() if seen[spelling] == 1}


_PROVINCE_PREFIXES = ("广西壮族自治区", "广西自治区", "广西")


def resolve_region(text: str) -> str | None:
    folded = re.sub(r"\s+", "", text)
    for prefix in _PROVINCE_PREFIXES:
        if folded.startswith(prefix) and folded != prefix:
            folded = folded[len(prefix) :]
            break
    return region_lookup().get(folded)


@cache
def region_display() -> dict[str, str]:
    """Code -> what export writes: 南宁市 for a city, 南宁市青秀区 for a county."""
    regions = load_regions()
    names = {region["code"]: region["name"] for region in regions}
    return {
        region["code"]: (names[region["parent"]] + region["name"])
        if region["level"] == "county" and region["parent"]
        else region["name"]
        for region in regions
    }


@cache
def industry_names() -> dict[str, str]:
    return {industry["code"]: industry["name"] for industry in load_industries()}


@cache
def qualification_spelling() -> dict[tuple[str, str], str]:
    """(type code, level) -> the text export writes, which maps back to the same pair.

    A type without a level is written by its name; a level by the first alias that carries it
    (二级保密资格 style, as in the alias table), so that the round trip keeps the level.
    """
    from ..reference.aliases import normalise_qualification

    spelling: dict[tuple[str, str], str] = {}
    for qualification in load_qualification_types():
        spelling[(qualification["code"], "")] = qualification["name"]
        for alias in qualification["aliases"]:
            key = (qualification["code"], alias.get("level", ""))
            if key not in spelling and normalise_qualification(alias["text"]) == key:
                spelling[key] = alias["text"]
    return spelling
