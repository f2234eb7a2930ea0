"""Search queries, one function per use. ``user`` is always required: the release policy's
filter is the first clause of every query, so hits, totals, facet counts and suggestions only
ever cover what the user may see.

Parameters are validated here against allow-lists (facet values must exist, the text must not
carry engine syntax); anything else raises ``QueryError`` with a message for people, which pages
show and the API turns into a 400.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from elasticsearch_dsl import A, Q, Search

from classification import policy

from . import engine
from .analysis import phrase_matches_prefix, segment
from .documents import alias
from .facets import FACETS, FacetValue, facet_labels

MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 100
MAX_WINDOW = 10_000
SORTS = ("relevance", "updated")

_ENGINE_SYNTAX = re.compile(r"[{}\[\]*?\\^~<>|]|(^|\s)[A-Za-z_]+\s*:|&&|\|\|")


class QueryError(ValueError):
    """A search parameter a person typed that cannot be searched; the message says why."""

    def __init__(self, message: str, field: str = "q") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class SupplierHit:
    id: int
    score: float | None
    source: dict[str, Any]
    highlight: dict[str, list[str]]


@dataclass
class SupplierResults:
    total: int
    page: int
    page_size: int
    hits: list[SupplierHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_WINDOW) // self.page_size))


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


def text_query(text: str, phrases: list[str]) -> Q:
    """Bigram fields for recall and segmented word fields for precision, names boosted."""
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
                        fields=["name^3", "short_name^2", "offer^2", "description"],
                        minimum_should_match="75%",
                    ),
                    Q(
                        "multi_match",
                        query=segment(text),
                        type="most_fields",
                        fields=["name_words^5", "offer_words^3", "description_words^1.5"],
                        operator="and",
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
                fields=["name^3", "offer^2", "description"],
            )
        )
    return Q("bool", must=clauses) if clauses else Q("match_all")


def bigram_only_query(text: str) -> Q:
    """The recall-only baseline that the quality benchmark compares against."""
    if not text:
        return Q("match_all")
    return Q(
        "multi_match",
        query=text,
        type="most_fields",
        fields=["name^3", "short_name^2", "offer^2", "description"],
        minimum_should_match="75%",
    )


def _facet_filter(name: str, values: list[str]) -> Q:
    return Q("terms", **{FACETS[name].field: values})


def supplier_search(
    user,
    q: str | None = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    page: Any = 1,
    page_size: Any = 20,
    analysis: str = "combined",
) -> SupplierResults:
    """The supplier directory: hits with highlights, post-filter facet counts, total."""
    text, phrases = clean_text(q)
    page, page_size = clean_paging(page, page_size)
    if sort not in SORTS:
        raise QueryError(_("Unknown sort order."), "sort")
    filters = {name: values for name, values in (filters or {}).items() if values}
    for name, values in filters.items():
        if name not in FACETS:
            raise QueryError(_("Unknown filter."), name)
        FACETS[name].validate(values)

    query = text_query(text, phrases) if analysis == "combined" else bigram_only_query(text)
    s = Search(index=[alias("enterprises")]).query(
        Q("bool", must=[query], filter=[Q(policy.search_filter(user))])
    )
    selected = {name: _facet_filter(name, values) for name, values in filters.items()}
    if selected:
        s = s.post_filter(Q("bool", filter=list(selected.values())))
    for name, facet in FACETS.items():
        others = [clause for other, clause in selected.items() if other != name]
        terms = A("terms", field=facet.field, size=facet.size)
        s.aggs.bucket(name, "filter", filter=Q("bool", filter=others)).bucket("values", terms)
    # No tie-break after the update time: equal keys keep the index's own order, which is
    # stable while the index is (pages of one listing do not shuffle). A keyword tie-break
    # (``uscc``) made the slowest fifth of queries 15 ms slower over 100,000 profiles, where
    # many scores tie (bench/search.py: raw engine p95 45-48 ms with it, 29-33 ms without).
    if sort == "updated" or not (text or phrases):
        s = s.sort("-updated_at")
    else:
        s = s.sort("_score", "-updated_at")
    s = s.highlight_options(encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"])
    s = s.highlight("name", number_of_fragments=0).highlight(
        "offer", "description", fragment_size=80, number_of_fragments=2
    )
    s = s.source(excludes=["*_words", "suggest", "offer", "description", "grants", "timed_grants"])
    s = s.extra(track_total_hits=True)[(page - 1) * page_size : page * page_size]

    response = engine.search(s)
    hits = [
        SupplierHit(
            id=int(hit.meta.id),
            score=hit.meta.score,
            source=hit.to_dict(),
            highlight={k: list(v) for k, v in getattr(hit.meta, "highlight", {}).to_dict().items()}
            if hasattr(hit.meta, "highlight")
            else {},
        )
        for hit in response
    ]
    facets = {
        name: facet_labels(
            name,
            [(b.key, b.doc_count) for b in response.aggregations[name]["values"].buckets],
            filters.get(name, []),
        )
        for name in FACETS
    }
    return SupplierResults(
        total=response.hits.total.value, page=page, page_size=page_size, hits=hits, facets=facets
    )


def suggest(user, prefix: str | None, limit: int = 10) -> list[str]:
    """Up to ``limit`` phrases (enterprise names, products, technologies) visible to ``user``
    that start with what was typed, in characters, pinyin initials or full pinyin."""
    prefix = (prefix or "").strip()
    if not prefix:
        return []
    if len(prefix) > 50:
        raise QueryError(_("The query is too long (at most %d characters).") % 50)
    s = (
        Search(index=[alias("enterprises")])
        .query(Q("bool", must=[Q("match", suggest=prefix)], filter=[Q(policy.search_filter(user))]))
        .source(["suggest_phrases"])[:30]
    )
    found: list[str] = []
    for hit in engine.search(s):
        for phrase in hit.to_dict().get("suggest_phrases", []):
            if phrase not in found and phrase_matches_prefix(phrase, prefix):
                found.append(phrase)
                if len(found) == limit:
                    return found
    return found
