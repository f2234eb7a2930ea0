"""A paper's body as chapters of numbered items, shared by the web page and the PDF.

Both renderings need the same numbering: chapters (第一章…), tables (表 1…), figures and charts
(图 1…), footnotes (1, 2, …). Computing it once here keeps the web page, its navigation and the
PDF's table of contents in agreement, and keeps the block templates free of counting logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .charts import ChartDataError, chart_from_table, echarts_option, svg

_DIGITS = "零一二三四五六七八九"


#: A number an editor typed at the start of a caption ("图 1 ", "表2：", "图3-1、", "Figure 4.")
#: although the template numbers captions itself: left in, the PDF would print "图 1　图 1 …".
_TYPED_NUMBER = re.compile(
    r"^\s*(?:图|表|Figure|Fig\.?|Table)\s*[0-9０-９一二三四五六七八九十]+(?:[-－.．][0-9０-９]+)*"
    r"\s*[:：.．、,，]?\s*",
    re.IGNORECASE,
)


def caption_text(caption: str) -> str:
    """The caption without a number the editor typed before it (the template adds its own)."""
    stripped = _TYPED_NUMBER.sub("", caption or "", count=1)
    return stripped or caption


def chinese_numeral(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (chapter numbers stay below 100)."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


@dataclass
class Item:
    """One block with what its template needs beyond its value."""

    block: Any
    number: int | None = None  # table, figure or footnote number
    chart_json: dict[str, Any] | None = None
    chart_svg: str = ""
    chart_error: str = ""


@dataclass
class Chapter:
    number: int | None
    heading: str
    anchor: str
    items: list[Item] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"第{chinese_numeral(self.number)}章" if self.number else ""

    @property
    def title(self) -> str:
        return f"{self.label}　{self.heading}" if self.label else self.heading


@dataclass
class Outline:
    preamble: Chapter
    chapters: list[Chapter]

    @property
    def has_charts(self) -> bool:
        return any(item.chart_json for chapter in self.all for item in chapter.items)

    @property
    def all(self) -> list[Chapter]:
        return [self.preamble, *self.chapters]


def outline(page) -> Outline:
    """Split ``page.body`` at its chapter blocks and number everything in reading order."""
    preamble = Chapter(None, "", "preamble")
    chapters: list[Chapter] = []
    current = preamble
    next_chapter, tables, figures, notes = 1, 0, 0, 0
    for block in page.body:
        kind = block.block_type
        if kind == "chapter":
            number = block.value.get("number") or next_chapter
            next_chapter = number + 1
            current = Chapter(number, block.value["heading"], f"chapter-{number}")
            chapters.append(current)
            continue
        item = Item(block)
        if kind == "table":
            tables += 1
            item.number = tables
        elif kind in ("figure", "chart"):
            figures += 1
            item.number = figures
        elif kind == "footnote":
            notes += 1
            item.number = notes
            current.notes.append((notes, block.value["note"]))
        if kind == "chart":
            _prepare_chart(item, f"{page.pk or 0}-{figures}")
        current.items.append(item)
    return Outline(preamble, chapters)


def _prepare_chart(item: Item, key: str) -> None:
    value = item.block.value
    try:
        chart = chart_from_table(value["chart_type"], value["data"])
    except ChartDataError as error:
        item.chart_error = str(error)
        return
    title = caption_text(value["caption"])
    item.chart_json = {"id": f"chart-{key}", "option": echarts_option(chart, value["unit"])}
    item.chart_svg = svg(chart, value["unit"], title)
