"""The notice search: notices ranked by relevance, with kind, industry, region and status facets.

Built on the search service's ``FacetedSearch`` (the release policy's filter first). Two
conditions depend on the clock and are decided by the engine at query time, never at index
time: a notice past ``expire_at`` is gone (as in ``visible_notices``) and a notice past its
``deadline`` is closed. The filters' allow-lists are the notice list's (``listing``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from elasticsearch_dsl import Q

from portal.enterprises.search_indexes import industry_labels, region_labels
from search.faceted import Facet, FacetedSearch, Results
from search.site import not_expired

from .listing import STATUSES, UNKNOWN_KIND, UNKNOWN_STATUS
from .search_indexes import NOTICES, kind_labels


def open_now() -> Q:
    """Open notices: no deadline, or a deadline not yet passed (``models.open_notices``)."""
    return Q("bool", should=[~Q("exists", field="deadline"), Q("range", deadline={"gte": "now"})])


def _status_labels() -> dict[str, str]:
    labels = {"open": _("Open"), "closed": _("Closed")}
    return {status: str(labels[status]) for status in STATUSES}


def _within_region(values: list[str]) -> Q | None:
    """The whole autonomous region includes every notice, with a region or without one (as
    the notice list does)."""
    values = [value for value in values if not value.endswith("0000")]
    return Q("terms", region=values) if values else None


FACETS: dict[str, Facet] = {
    "kind": Facet("kind", kind_labels, list_all=True, unknown_message=UNKNOWN_KIND),
    "industry": Facet("industry", industry_labels),
    "region": Facet("region", region_labels, size=150, narrow=_within_region),
    "status": Facet(
        "status",
        _status_labels,
        max_values=1,
        options=lambda: {"open": open_now(), "closed": ~open_now()},
        unknown_message=UNKNOWN_STATUS,
    ),
}


class NoticeSearch(FacetedSearch):
    """Notices matching the text with highlights and post-filter facets; choosing a value of
    one facet leaves that facet's other counts as they were."""

    indices = (NOTICES,)
    facets = FACETS
    sorts = ("relevance", "published", "deadline")
    ignore_blank = True

    def filters(self) -> list[Q]:
        return [not_expired()]

    def sort_keys(self) -> list[Any]:
        newest = {"published_at": {"order": "desc", "missing": "_last"}}
        if self.sort == "deadline":
            return [{"deadline": {"order": "asc", "missing": "_last"}}, "-published_at"]
        if self.sort == "published" or not self.has_text:
            return [newest, "_score"]
        return ["_score", newest]


def notice_search(
    user,
    q: str | None = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    page: Any = 1,
    page_size: Any = 20,
) -> Results:
    """Notices as ``user`` may see them (``QueryError`` for refused input)."""
    return NoticeSearch(user, q, filters, sort, page, page_size).execute()
