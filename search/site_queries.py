"""Searches over the content indices: the notice search and the site search across types.

Like ``search.queries``, every query starts with the release policy's filter
(``policy.search_filter``), so hits, totals and facet counts only ever cover what the user may
see; and parameters are checked against allow-lists before anything reaches the engine
(``QueryError`` -> a message on pages, a 400 in the API). Two conditions depend on the clock and
are decided by the engine at query time, never at index time: a notice past ``expire_at`` is
gone (as in ``released_notices``) and a notice past its ``deadline`` is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from elasticsearch_dsl import A, Q, Search

from classification import policy

from . import engine
from .analysis import segment
from .documents import alias
from .facets import FACETS, FacetValue
from .queries import QueryError, SupplierHit, SupplierResults, clean_paging, clean_text

#: ``type`` parameter of the site search -> logical index.
SITE_TYPES = {"enterprise": "enterprises", "notice": "notices", "paper": "papers"}
NOTICE_SORTS = ("relevance", "published", "deadline")
STATUSES = ("open", "closed")

#: Bigram (recall) and segmented (precision) fields per type; titles and names weigh most.
_BIGRAM_FIELDS = {
    "enterprises": ["name^3", "short_name^2", "offer^2", "description"],
    "notices": ["title^3", "summary^2", "body"],
    "papers": ["title^3", "subtitle^2", "summary^2", "body"],
}
_WORD_FIELDS = {
    "enterprises": ["name_words^5", "offer_words^3", "description_words^1.5"],
    "notices": ["title_words^5", "summary_words^3", "body_words^1.5"],
    "papers": ["title_words^5", "summary_words^3", "body_words^1.5"],
}
_HIDDEN_SOURCE = ["*_words", "suggest", "offer", "description", "body", "grants", "timed_grants"]


@dataclass
class ContentHit(SupplierHit):
    """A hit of any content type: a supplier hit that names its type."""

    type: str


@dataclass
class ContentResults(SupplierResults):
    hits: list[ContentHit]


def _fields(table: dict[str, list[str]], names: list[str]) -> list[str]:
    return list(dict.fromkeys(f for name in names for f in table[name]))


def content_text_query(text: str, phrases: list[str], names: list[str]) -> Q:
    """Bigram and word fields of the indices ``names``. ``lenient``: a field that one index
    maps differently (an enterprise's ``summary`` is stored, not searchable) is skipped there
    instead of failing that index's shard."""
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
                        fields=_fields(_BIGRAM_FIELDS, names),
                        minimum_should_match="75%",
                        lenient=True,
                    ),
                    Q(
                        "multi_match",
                        query=segment(text),
                        type="most_fields",
                        fields=_fields(_WORD_FIELDS, names),
                        operator="and",
                        lenient=True,
                    ),
                ],
                minimum_should_match=1,
            )
        )
    bigram = [f for f in _fields(_BIGRAM_FIELDS, names) if not f.startswith("short_name")]
    for phrase in phrases:
        clauses.append(Q("multi_match", query=phrase, type="phrase", fields=bigram, lenient=True))
    return Q("bool", must=clauses) if clauses else Q("match_all")


def not_expired() -> Q:
    """Pages past their expiry leave the results at once (the unpublish job may lag)."""
    return Q("bool", should=[~Q("exists", field="expire_at"), Q("range", expire_at={"gt": "now"})])


def open_now() -> Q:
    """Open notices: no deadline, or a deadline not yet passed (``models.open_notices``)."""
    return Q("bool", should=[~Q("exists", field="deadline"), Q("range", deadline={"gte": "now"})])


def _base(user, names: list[str], query: Q) -> Search:
    s = Search(index=[alias(name) for name in names])
    return s.query(Q("bool", must=[query], filter=[Q(policy.search_filter(user)), not_expired()]))


def _highlight(s: Search) -> Search:
    s = s.highlight_options(encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"])
    s = s.highlight("title", "name", number_of_fragments=0)
    return s.highlight("summary", "body", "offer", "description", fragment_size=80)


def _type_of(index: str) -> str:
    for kind, name in SITE_TYPES.items():
        target = alias(name)
        if index == target or index.startswith(target + "-"):
            return kind
    raise ValueError(f"a hit from an unknown index: {index}")


def _hits(response) -> list[ContentHit]:
    hits = []
    for hit in response:
        highlight = getattr(hit.meta, "highlight", None)
        hits.append(
            ContentHit(
                type=_type_of(hit.meta.index),
                id=int(hit.meta.id),
                score=hit.meta.score,
                source=hit.to_dict(),
                highlight={k: list(v) for k, v in highlight.to_dict().items()} if highlight else {},
            )
        )
    return hits


# --- notices -------------------------------------------------------------------------------


def _kind_labels() -> dict[str, str]:
    from portal.notices.models import Kind

    return {value: str(label) for value, label in Kind.choices}


def _status_labels() -> dict[str, str]:
    return {"open": _("Open"), "closed": _("Closed")}


def _clean_notice_filters(filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    cleaned = {name: [v for v in values if v] for name, values in (filters or {}).items()}
    cleaned = {name: values for name, values in cleaned.items() if values}
    for name, values in cleaned.items():
        if name in ("industry", "region"):
            FACETS[name].validate(values)
        elif name == "kind":
            if set(values) - set(_kind_labels()):
                raise QueryError(_("Unknown notice kind."), "kind")
        elif name == "status":
            if set(values) - set(STATUSES) or len(values) > 1:
                raise QueryError(_("Status is open or closed."), "status")
        else:
            raise QueryError(_("Unknown filter."), name)
    return cleaned


def _notice_clause(name: str, values: list[str]) -> Q | None:
    if name == "status":
        return open_now() if values[0] == "open" else ~open_now()
    if name == "region":
        # The whole autonomous region includes every notice, with a region or without one
        # (as the notice list does).
        values = [v for v in values if not v.endswith("0000")]
        if not values:
            return None
    return Q("terms", **{name: values})


def notice_search(
    user,
    q: str | None = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    page: Any = 1,
    page_size: Any = 20,
) -> ContentResults:
    """Notices matching ``q`` with highlights and post-filter facets (kind, industry, region,
    status); selecting a value of one facet leaves that facet's other counts as they were."""
    text, phrases = clean_text(q)
    page, page_size = clean_paging(page, page_size)
    if sort not in NOTICE_SORTS:
        raise QueryError(_("Unknown sort order."), "sort")
    filters = _clean_notice_filters(filters)

    s = _base(user, ["notices"], content_text_query(text, phrases, ["notices"]))
    selected = {
        name: clause
        for name, values in filters.items()
        if (clause := _notice_clause(name, values)) is not None
    }
    if selected:
        s = s.post_filter(Q("bool", filter=list(selected.values())))
    for name in ("kind", "industry", "region"):
        others = [clause for other, clause in selected.items() if other != name]
        terms = A("terms", field=name, size=150 if name == "region" else 50)
        s.aggs.bucket(name, "filter", filter=Q("bool", filter=others)).bucket("values", terms)
    others = [clause for other, clause in selected.items() if other != "status"]
    s.aggs.bucket("status", "filter", filter=Q("bool", filter=others)).bucket(
        "values", "filters", filters={"open": open_now(), "closed": ~open_now()}
    )
    if sort == "deadline":
        s = s.sort({"deadline": {"order": "asc", "missing": "_last"}}, "-published_at")
    elif sort == "published" or not (text or phrases):
        s = s.sort({"published_at": {"order": "desc", "missing": "_last"}}, "_score")
    else:
        s = s.sort("_score", {"published_at": {"order": "desc", "missing": "_last"}})
    s = _highlight(s).source(excludes=_HIDDEN_SOURCE)
    s = s.extra(track_total_hits=True)[(page - 1) * page_size : page * page_size]

    response = engine.search(s)
    aggs = response.aggregations
    labels = {
        "kind": _kind_labels(),
        "industry": FACETS["industry"].labels(),
        "region": FACETS["region"].labels(),
    }
    facets: dict[str, list[FacetValue]] = {}
    for name, known in labels.items():
        counts = {b.key: b.doc_count for b in aggs[name]["values"].buckets}
        chosen = filters.get(name, [])
        keys = list(known) if name == "kind" else [*counts, *(v for v in chosen if v not in counts)]
        facets[name] = [
            FacetValue(key, known.get(key, key), counts.get(key, 0), key in chosen)
            for key in keys
            if key in known
        ]
    status_buckets = aggs["status"]["values"].buckets.to_dict()
    facets["status"] = [
        FacetValue(
            key,
            label,
            status_buckets[key]["doc_count"],
            key in filters.get("status", []),
        )
        for key, label in _status_labels().items()
    ]
    return ContentResults(
        total=response.hits.total.value,
        page=page,
        page_size=page_size,
        hits=_hits(response),
        facets=facets,
    )


# --- the site search -----------------------------------------------------------------------


def clean_types(types: list[str] | None) -> list[str]:
    """The content types asked for (all when none), or QueryError for an unknown one."""
    chosen = [t for t in (types or []) if t]
    unknown = [t for t in chosen if t not in SITE_TYPES]
    if unknown:
        raise QueryError(_("Unknown content type."), "type")
    return list(dict.fromkeys(chosen)) or list(SITE_TYPES)


def site_search(
    user,
    q: str | None = "",
    types: list[str] | None = None,
    page: Any = 1,
    page_size: Any = 20,
) -> ContentResults:
    """Enterprises, notices and papers in one ranked list, narrowed to ``types``.

    One request over the three aliases; ``facets["type"]`` counts every type (post-filter
    style: the type selection narrows the hits, not the counts), each through the policy.
    """
    text, phrases = clean_text(q)
    page, page_size = clean_paging(page, page_size)
    chosen = clean_types(types)
    names = list(SITE_TYPES.values())
    s = _base(user, names, content_text_query(text, phrases, names))
    if len(chosen) < len(SITE_TYPES):
        s = s.post_filter(Q("terms", _index=[alias(SITE_TYPES[t]) for t in chosen]))
    s.aggs.bucket("type", "terms", field="_index", size=20)
    newest = [
        {"published_at": {"order": "desc", "missing": "_last", "unmapped_type": "date"}},
        {"updated_at": {"order": "desc", "missing": "_last", "unmapped_type": "date"}},
    ]
    s = s.sort("_score", *newest) if text or phrases else s.sort(*newest)
    s = _highlight(s).source(excludes=_HIDDEN_SOURCE)
    s = s.extra(track_total_hits=True)[(page - 1) * page_size : page * page_size]

    response = engine.search(s)
    counts = dict.fromkeys(SITE_TYPES, 0)
    for bucket in response.aggregations["type"].buckets:
        counts[_type_of(bucket.key)] += bucket.doc_count
    return ContentResults(
        total=response.hits.total.value,
        page=page,
        page_size=page_size,
        hits=_hits(response),
        facets={
            "type": [
                FacetValue(kind, kind, counts[kind], kind in chosen and len(chosen) < 3)
                for kind in SITE_TYPES
            ]
        },
    )
