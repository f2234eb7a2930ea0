"""What people type, made safe to search: text, phrases and paging, and the text query.

Parameters are validated here against allow-lists (the text must not carry engine syntax,
pages stay inside the engine's window); anything else raises ``QueryError`` with a message for
people, which pages show and the API turns into a 400. The searches themselves build on
``search.faceted``.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from elasticsearch_dsl import Q

from .analysis import segment
from .registry import SearchIndex

MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 100
MAX_WINDOW = 10_000

_ENGINE_SYNTAX = re.compile(r"[{}\[\]*?\\^~<>|]|(^|\s)[A-Za-z_]+\s*:|&&|\|\|")


class QueryError(ValueError):
    """A search parameter a person typed that cannot be searched; the message says why."""

    def __init__(self, message: str, field: str = "q") -> None:
        super().__init__(message)
        self.field = field


def clean_text(q: str | None) -> tuple[str, list[str]]:
    """(free text, exact phrases) of what the user typed, or QueryError."""
    q = (q or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(_("The query is too long (at most %d characters).") % MAX_QUERY_LENGTH)
    if _ENGINE_SYNTAX.search(q):
        raise QueryError(_("The query contains characters that cannot be searched."))
    if q.count('"') % 2 or q.count("“") != q.count("”"):
        raise QueryError(_("The query has an unclosed quotation mark."))
    normalised = q.replace("“", '"').replace("”", '"')
    phrases = [p.strip() for p in re.findall(r'"([^"]*)"', normalised) if p.strip()]
    text = re.sub(r'"[^"]*"', " ", normalised).strip()
    return text, phrases


def clean_paging(page: Any, page_size: Any) -> tuple[int, int]:
    try:
        page, page_size = int(page or 1), int(page_size or 20)
    except (TypeError, ValueError) as error:
        raise QueryError(_("Page and page size must be whole numbers."), "page") from error
    if page < 1:
        raise QueryError(_("The page number must be 1 or more."), "page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise QueryError(_("The page size must be between 1 and %d.") % MAX_PAGE_SIZE, "page_size")
    if page * page_size > MAX_WINDOW:
        raise QueryError(_("Results beyond the first %d cannot be paged to.") % MAX_WINDOW, "page")
    return page, page_size


def text_query(text: str, phrases: list[str], indices: list[SearchIndex]) -> Q:
    """Bigram fields for recall or segmented word fields for precision (all words), names and
    titles boosted, over the fields the ``indices`` declare. ``lenient``: a field that one
    index maps differently (an enterprise's ``summary`` is stored, not searchable) is skipped
    there instead of failing that index's shard."""
    clauses = []
    if text:
        clauses.append(
            Q(
                "bool",
                should=[
                    Q(
                        "multi_match",
                        query=text,
                        type="most_fields",
                        fields=_fields(indices, "bigram_fields"),
                        minimum_should_match="75%",
                        lenient=True,
                    ),
                    Q(
                        "multi_match",
                        query=segment(text),
                        type="most_fields",
                        fields=_fields(indices, "word_fields"),
                        operator="and",
                        lenient=True,
                    ),
                ],
                minimum_should_match=1,
            )
        )
    for phrase in phrases:
        clauses.append(
            Q(
                "multi_match",
                query=phrase,
                type="phrase",
                fields=_fields(indices, "phrase_fields"),
                lenient=True,
            )
        )
    return Q("bool", must=clauses) if clauses else Q("match_all")


def _fields(indices: list[SearchIndex], kind: str) -> list[str]:
    return list(dict.fromkeys(name for index in indices for name in getattr(index, kind)))
