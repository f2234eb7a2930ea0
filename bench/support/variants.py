"""Query variants the benchmarks measure the portal's own queries against.

They live here, not in the portal: each is a subclass of the production search that changes
one method, so the comparison runs the same assembly (policy filter, paging, highlights).

- ``StockCjkSupplierSearch``: the baseline of the quality bench, what a team would start
  from: OpenSearch's stock ``cjk`` analyzer on the text fields (``StockCjkDocument``) and a plain
  ``multi_match`` of the text as typed (no query understanding, no segmented words).
- ``MoreLikeThisMatch``: supplier matching by two ``more_like_this`` clauses over the notice's
  text instead of weighted key terms (docs/matching.md compares the two).
"""

from __future__ import annotations

from typing import Any

from elasticsearch_dsl import Q, Text

from portal.enterprises.search_indexes import EnterpriseDocument
from portal.enterprises.supplier_search import SupplierSearch
from portal.matching.suppliers import INDUSTRY_BOOST, SupplierMatch, industry_codes
from portal.matching.terms import notice_places, words
from search.faceted import FacetedSearch


class StockCjkDocument(EnterpriseDocument):
    """The supplier document with the engine's stock ``cjk`` analyzer on its text fields."""

    name = Text(analyzer="cjk")
    short_name = Text(analyzer="cjk")
    offer = Text(analyzer="cjk")
    description = Text(analyzer="cjk")


class StockCjkSupplierSearch(SupplierSearch):
    def __init__(self, user, q: str | None = "", *args: Any, **kwargs: Any) -> None:
        FacetedSearch.__init__(self, user, q, *args, **kwargs)  # the text as typed
        self.understood = []

    def execute(self):
        return FacetedSearch.execute(self)  # no did-you-mean either

    def query(self) -> Q:
        if not self.text:
            return Q("match_all")
        return Q(
            "multi_match", query=self.text, fields=["name", "short_name", "offer", "description"]
        )


class MoreLikeThisMatch(SupplierMatch):
    def clauses(self) -> list[dict[str, Any]]:
        text = "\n".join(notice_places(self.notice).values())
        like = {"min_term_freq": 1, "min_doc_freq": 1, "minimum_should_match": "5%"}
        clauses: list[dict[str, Any]] = [
            {
                "more_like_this": {
                    "fields": ["offer", "description", "name"],
                    "like": text,
                    "max_query_terms": 40,
                    **like,
                }
            },
            {
                "more_like_this": {
                    "fields": ["offer_words", "description_words", "name_words"],
                    "like": " ".join(words(text)),
                    "max_query_terms": 25,
                    **like,
                }
            },
        ]
        codes = industry_codes(self.notice)
        if codes:
            clauses.append({"terms": {"industry": codes, "boost": INDUSTRY_BOOST}})
        return clauses
