"""The site search: every registered index in one ranked list, narrowed by type.

One request over all the aliases, through the same base as every other search (the release
policy's filter first). ``facets["type"]`` counts every type post-filter style: choosing a type
narrows the hits, not the counts. Pages past their expiry leave the results at once (the
unpublish job may lag); indices without ``expire_at`` are unaffected.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from elasticsearch_dsl import Q, Search
from elasticsearch_dsl.response import Response

from . import registry
from .faceted import FacetedSearch, FacetValue, Hit, Results
from .queries import QueryError


def not_expired() -> Q:
    """Items past their ``expire_at`` (a date the engine compares with its now) are gone."""
    return Q("bool", should=[~Q("exists", field="expire_at"), Q("range", expire_at={"gt": "now"})])


def clean_types(types: list[str] | None) -> list[str]:
    """The content types asked for (all when none), or QueryError for an unknown one."""
    known = [index.hit_type for index in registry.indices()]
    chosen = [t for t in (types or []) if t]
    if any(t not in known for t in chosen):
        raise QueryError(_("Unknown content type."), "type")
    return list(dict.fromkeys(chosen)) or known


#: Newest first; ``unmapped_type``: an index without the field sorts its hits last.
NEWEST = [
    {"published_at": {"order": "desc", "missing": "_last", "unmapped_type": "date"}},
    {"updated_at": {"order": "desc", "missing": "_last", "unmapped_type": "date"}},
]


class SiteSearch(FacetedSearch):
    """Every registered index, relevance first when there is text, newest first otherwise."""

    def __init__(self, user, q: str | None = "", types: list[str] | None = None, **paging):
        self.indices = tuple(registry.indices())
        super().__init__(user, q, **paging)
        self.types = clean_types(types)

    def filters(self) -> list[Q]:
        return [not_expired()]

    def sort_keys(self) -> list[Any]:
        return ["_score", *NEWEST] if self.has_text else NEWEST

    def extend(self, s: Search) -> Search:
        if len(self.types) < len(self.indices):
            chosen = [registry.for_hit_type(t).alias for t in self.types]
            s = s.post_filter(Q("terms", _index=chosen))
        s.aggs.bucket("type", "terms", field="_index", size=20)
        return s

    def facet_values(self, response: Response) -> dict[str, list[FacetValue]]:
        counts = dict.fromkeys((index.hit_type for index in self.indices), 0)
        for bucket in response.aggregations["type"].buckets:
            counts[registry.holding(bucket.key).hit_type] += bucket.doc_count
        narrowed = len(self.types) < len(self.indices)
        return {
            "type": [
                FacetValue(kind, kind, count, kind in self.types and narrowed)
                for kind, count in counts.items()
            ]
        }


def site_search(
    user, q: str | None = "", types: list[str] | None = None, page: Any = 1, page_size: Any = 20
) -> Results:
    return SiteSearch(user, q, types, page=page, page_size=page_size).execute()


def site_entry(hit: Hit) -> dict[str, Any]:
    """A hit of any type: its index's presentation with ``type`` and ``title``."""
    data = hit.present()
    return {"type": hit.type, "title": data.get("title") or data.get("name", ""), **data}


def site_results_dict(results: Results) -> dict[str, Any]:
    return results.as_dict(site_entry)
