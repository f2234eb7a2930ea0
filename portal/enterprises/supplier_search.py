"""The supplier directory's search: facets over the registry's reference data, suggestions.

Built on the search service's ``FacetedSearch`` (the release policy's filter first, facet
counts after the other facets' choices, one page of hits). Allowed facet values come from the
reference tables, so a value that does not exist is refused before the engine sees it.
"""

from __future__ import annotations

import copy
from difflib import SequenceMatcher
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from elasticsearch_dsl import Q, Search

from classification import policy
from search import engine
from search.analysis import phrase_matches_prefix, pinyin_forms
from search.documents import CJK_ANALYZER
from search.faceted import Facet, FacetedSearch, Results, hits_of
from search.queries import QueryError, partial_terms, text_query

from . import confirmation
from .query_understanding import understand
from .search_indexes import (
    SUPPLIERS,
    featured_labels,
    industry_labels,
    ownership_labels,
    qualification_labels,
    region_labels,
    staff_size_labels,
)

#: The directory's facets: parameter name -> index field, allowed values and their labels.
FACETS: dict[str, Facet] = {
    "industry": Facet("industry", industry_labels),
    "region": Facet("region", region_labels, size=150),
    "qualification": Facet("qualification", qualification_labels),
    "size": Facet("staff_size", staff_size_labels),
    "ownership": Facet("ownership", ownership_labels),
    "featured": Facet("featured", featured_labels),
}

#: Facet titles of the directory page, msgids the catalogue translates.
FACET_TITLES = {
    "industry": "Industry",
    "region": "Region",
    "qualification": "Qualification",
    "size": "Staff size",
    "ownership": "Ownership",
    "featured": "Featured directory",
}


#: A result list shorter than this has its last page filled up with partial matches.
PARTIAL_FILL = 10


class SupplierSearch(FacetedSearch):
    """The supplier directory: hits with highlights, post-filter facet counts, total.

    Qualifications, regions and ownership named in the text become filters
    (``query_understanding``), listed in ``understood`` so that pages show them as chips.

    A short result list (fewer than ``PARTIAL_FILL``) is followed by suppliers that match
    only some of the words (``partial``): a firm that describes the same work in other words
    is not lost, while the total stays the count of real matches and the page lists the
    partial ones apart, under their own heading."""

    indices = (SUPPLIERS,)
    facets = FACETS
    sorts = ("relevance", "updated")
    fragments = 2
    #: This search lists only the partial matches (the complement of the full ones).
    partial_only = False

    def __init__(self, user, q: str | None = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(user, q, *args, **kwargs)
        self.text, self.understood = understand(self.text)
        for found in self.understood:
            chosen = self.chosen.setdefault(found.facet, [])
            if found.key not in chosen:
                chosen.append(found.key)

    def execute(self) -> Results:
        results = super().execute()
        results.understood = [found.as_dict() for found in self.understood]
        if not results.total and self.text:
            results.did_you_mean = did_you_mean(self.user, self.text)
        # Partial matches are a matter of relevance: a list sorted by date (and the alerts,
        # which read one) has none.
        last_page = results.page == results.pages
        if self.sort == "relevance" and results.total < PARTIAL_FILL and last_page:
            results.partial = self.partial_matches(PARTIAL_FILL - results.total)
        return results

    def partial_matches(self, count: int) -> list:
        """Up to ``count`` suppliers, best first, that match some but not enough of the words
        for the result list, under the same filters and release policy; none when the text
        has no two terms to choose from."""
        if self.partial_only or not partial_terms(self.text):
            return []
        partial = copy.copy(self)
        partial.partial_only = True
        partial.page, partial.page_size = 1, count
        response = engine.search(partial.request(facets=False))
        return hits_of(response.to_dict()["hits"]["hits"])

    def facet_sample(self) -> int | None:
        return settings.SEARCH_FACET_SAMPLE or None

    def query(self) -> Q:
        return confirmation.ranked(self.unscored())

    def unscored(self) -> Q:
        full = super().query()
        if not self.partial_only:
            return full
        some = text_query(self.text, self.phrases, list(self.indices), partial=True)
        return Q("bool", must=[some], must_not=[full])

    def sort_keys(self) -> list[Any]:
        # No tie-break after the update time: equal keys keep the index's own order, which is
        # stable while the index is (pages of one listing do not shuffle). A keyword
        # tie-break on 100,000 profiles, where many scores tie, slows the slowest queries.
        if self.sort == "updated" or not self.has_text:
            return ["-updated_at"]
        return ["_score", "-updated_at"]


def supplier_search(
    user,
    q: str | None = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    page: Any = 1,
    page_size: Any = 20,
) -> Results:
    """The supplier directory as ``user`` may see it (``QueryError`` for refused input)."""
    return SupplierSearch(user, q, filters, sort, page, page_size).execute()


def directory_search(request, params, page_size: Any) -> Results:
    """The directory as its page and its API ask for it: the parameters of the request
    (``q``, one list per facet, ``sort``, ``page``) searched for the request's user, and the
    search recorded for the statistics under the client's address."""
    from portal.core.clients import client_address
    from portal.statistics.recording import record_search

    filters = {name: params.getlist(name) for name in FACETS}
    results = supplier_search(
        request.user,
        params.get("q", ""),
        filters,
        sort=params.get("sort", "relevance"),
        page=params.get("page", 1),
        page_size=page_size,
    )
    record_search(
        params.get("q", ""),
        results.total,
        params.get("page", 1),
        client=client_address(request),
        filtered=any(any(values) for values in filters.values()),
    )
    return results


def suggest(user, prefix: str | None, limit: int = 10) -> list[str]:
    """Up to ``limit`` phrases (enterprise names, products, technologies) visible to ``user``
    that start with what was typed, in characters, pinyin initials or full pinyin."""
    prefix = (prefix or "").strip()
    if not prefix:
        return []
    if len(prefix) > 50:
        raise QueryError(_("The query is too long (at most %d characters).") % 50)
    s = (
        Search(index=[SUPPLIERS.alias])
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


#: How alike a stretch of a name must be to what was typed to be offered instead (0–1).
DID_YOU_MEAN_SIMILARITY = 0.6


def _likeness(typed: str, candidate: str) -> float:
    """Characters in common, in order (difflib), with a sound-alike bonus: Chinese input
    methods make homophone slips (北斗星同 for 北斗星通), which share the pinyin."""
    score = SequenceMatcher(None, typed, candidate).ratio()
    if pinyin_forms(typed)[1] == pinyin_forms(candidate)[1]:
        score = max(score, 0.95)
    return score


def did_you_mean(user, text: str) -> str:
    """A name, product or technology the user may have meant when ``text`` found nothing: the
    stretch of a visible phrase most like ``text`` (edit distance and pinyin), or "".

    Candidates come from a lenient engine query (half of the text's characters and character
    pairs) over the fields the phrases come from, under the release policy's filter, so nothing
    is offered that the user may not see.
    """
    text = text.strip()
    if len(text) < 2:
        return ""
    lenient = Q(
        "multi_match",
        query=text,
        type="most_fields",
        fields=list(SUPPLIERS.bigram_fields),
        minimum_should_match="50%",
        analyzer=CJK_ANALYZER,  # characters too, not only the pairs a search looks for
    )
    s = (
        Search(index=[SUPPLIERS.alias])
        .query(Q("bool", must=[lenient], filter=[Q(policy.search_filter(user))]))
        .source(["suggest_phrases"])
        .extra(track_total_hits=False)[:10]
    )
    best, best_score = "", DID_YOU_MEAN_SIMILARITY
    for hit in engine.search(s):
        for phrase in hit.to_dict().get("suggest_phrases", []):
            if text in phrase:  # spelt as written: the filters, not the words, found nothing
                return ""
            for start in range(max(1, len(phrase) - len(text) + 1)):
                candidate = phrase[start : start + len(text)]
                score = _likeness(text, candidate)
                if score > best_score:
                    best, best_score = candidate, score
    return best
