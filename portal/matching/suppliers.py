"""Suppliers for a demand notice (供需对接, demand side), ranked in the search engine.

The notice is cut into weighted key terms with the search service's own analysis
(``terms.key_terms``); each term queries the segmented ``*_words`` fields of the enterprises
index, weighted by where it stood in the notice, and industry overlap adds a boost. The
notice's hard requirements (qualifications valid on the deadline, region when asked) and the
release policy's filter are filter clauses of the same query, so totals and pages only ever
count suppliers that qualify and that the reader may see. The request is assembled by the
search service's ``FacetedSearch``, like every other search.

Highlights of the key terms give the explanation: the words that matched. The inner hits of
the qualification filters give the qualifications that satisfied the notice.
"""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from elasticsearch_dsl import Q, Search

from classification import policy
from classification.redaction import redact
from portal.accounts import roles
from portal.enterprises import confirmation
from portal.enterprises.models import Enterprise
from portal.enterprises.search_indexes import SUPPLIERS, industry_labels
from search.faceted import MARK, FacetedSearch, Hit
from search.queries import clean_paging

from . import requirements as reqs
from .results import Match, MatchPage, marked, relevance
from .terms import Term, key_terms, notice_places

#: Field weights of a key term: what a supplier offers says most, its name least often.
WORD_FIELDS = ["offer_words^3", "name_words^2", "description_words^1"]
INDUSTRY_BOOST = 4.0


def may_match_suppliers(user, notice) -> bool:
    """Who may list the suppliers matching a notice: its author, procurement officers, the
    notice staff (editors) and classification officers. Suppliers see their own side only.
    The match is made from the notice's body, so a reader of its stub alone may not."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if policy.is_officer(user) or notice.owner_id == user.pk:
        return True
    if policy.stub_only(user, notice):
        return False
    return bool({roles.EDITOR, roles.PROCUREMENT} & roles.role_names(user))


def industry_codes(notice) -> list[str]:
    codes: set[str] = set()
    for industry in notice.industries.all():
        codes.update(industry.ancestor_codes())
    return sorted(codes)


def _term_clause(term: Term) -> dict[str, Any]:
    return {
        "multi_match": {
            "query": term.word,
            "type": "most_fields",
            "fields": WORD_FIELDS,
            "boost": term.weight,
        }
    }


def _highlight(terms: list[Term]) -> dict[str, Any]:
    """Highlight the key terms only (not the industry boost): what the explanation lists."""
    words_query = {
        "bool": {"should": [_term_clause(term) for term in terms], "minimum_should_match": 1}
    }
    text_query = {
        "bool": {
            "should": [
                {
                    "multi_match": {
                        "query": t.word,
                        "type": "phrase",
                        "fields": ["offer", "description"],
                    }
                }
                for t in terms
            ],
            "minimum_should_match": 1,
        }
    }
    return {
        **MARK,
        "fields": {
            "name_words": {"number_of_fragments": 0, "highlight_query": words_query},
            "offer_words": {"number_of_fragments": 0, "highlight_query": words_query},
            "description_words": {"number_of_fragments": 0, "highlight_query": words_query},
            "offer": {"fragment_size": 60, "number_of_fragments": 2, "highlight_query": text_query},
            "description": {
                "fragment_size": 60,
                "number_of_fragments": 1,
                "highlight_query": text_query,
            },
        },
    }


class SupplierMatch(FacetedSearch):
    """The suppliers of one notice: key-term clauses (any one makes a candidate) plus the
    industry boost, the notice's hard requirements as filters, highlights of the key terms."""

    indices = (SUPPLIERS,)

    def __init__(self, user, notice, terms: list[Term], page: Any = 1, page_size: Any = 20):
        super().__init__(user, page=page, page_size=page_size)
        self.notice = notice
        self.terms = terms

    def clauses(self) -> list[dict[str, Any]]:
        """The scoring clauses: one per key term, and the notice's industries."""
        clauses = [_term_clause(term) for term in self.terms]
        codes = industry_codes(self.notice)
        if codes:
            clauses.append({"terms": {"industry": codes, "boost": INDUSTRY_BOOST}})
        return clauses

    def query(self) -> Q:
        matched = Q("bool", should=[Q(clause) for clause in self.clauses()], minimum_should_match=1)
        return confirmation.ranked(matched)

    def filters(self) -> list[Q]:
        return [Q(clause) for clause in reqs.engine_filters(self.notice)]

    def sort_keys(self) -> list[Any]:
        # As in the supplier search: no keyword tie-break (equal keys keep the index's order).
        return ["_score", {"updated_at": "desc"}]

    def highlight(self, s: Search) -> Search:
        return s.update_from_dict({"highlight": _highlight(self.terms)}) if self.terms else s

    def extend(self, s: Search) -> Search:
        return s.extra(track_scores=True).source(
            ["uscc", "name", "region_code", "industry", "summary"]
        )


def _satisfied(hit: Hit, wanted: list[reqs.Requirement]) -> list[dict[str, Any]]:
    out = []
    for requirement in wanted:
        inner = hit.inner_hits.get(f"q_{requirement.code}", {})
        rows = [row.get("_source", {}) for row in inner.get("hits", {}).get("hits", [])]
        if not rows:
            continue
        # The one valid longest: what a procurement officer cares about.
        best = max(rows, key=lambda row: row.get("valid_until") or "9999-12-31")
        out.append(
            {
                "type": requirement.code,
                "name": requirement.name,
                "level": best.get("level") or "",
                "valid_until": (best.get("valid_until") or None),
            }
        )
    return out


def enterprise_data(enterprise: Enterprise, source: dict[str, Any], user) -> dict[str, Any]:
    """An enterprise row of a match list, as ``user`` may read it."""
    industries = industry_labels()
    data = {
        "id": enterprise.pk,
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "region": {"code": enterprise.region_id, "name": enterprise.region.full_name},
        "industries": [
            {"code": code, "name": industries.get(code, code)}
            for code in source.get("industry", [])
            if code in industries
        ],
        "summary": source.get("summary", ""),
        "legal_representative": enterprise.legal_representative,
        "url": reverse("enterprises:profile", args=[enterprise.pk]),
    }
    return redact(enterprise, user, data)


def match_suppliers(user, notice, page: Any = 1, page_size: Any = 20) -> MatchPage:
    """Ranked suppliers for ``notice`` that ``user`` may see. Raises ``QueryError`` for bad
    paging, ``EngineUnavailable`` when the engine is down, Http404 when ``user`` may not list
    this notice's matches (the caller checks first; this is the second lock)."""
    page, page_size = clean_paging(page, page_size)
    if not (policy.can_view(user, notice) and may_match_suppliers(user, notice)):
        raise Http404("No such notice.")
    # Both the filters and the explanation read the requirements: one query for them.
    prefetch_related_objects([notice], "required_qualifications__qualification_type")
    # Words of the detailed requirements neither score nor show for a reader who may not read
    # that field (the terms are printed beside the results).
    readable = policy.field_visible(user, notice, "requirements")
    terms = key_terms(notice_places(notice, include_requirements=readable))
    return ranked(SupplierMatch(user, notice, terms, page, page_size), user)


def ranked(search: SupplierMatch, user) -> MatchPage:
    """Run ``search`` and explain each hit: matched words, satisfying qualifications."""
    results = search.execute()
    wanted = reqs.requirements(search.notice)
    best = results.max_score or 0.0
    rows = Enterprise.objects.select_related("region__parent").in_bulk(
        [hit.id for hit in results.hits]
    )
    weights = {term.word: term.weight for term in search.terms}
    matches = []
    for hit in results.hits:
        enterprise = rows.get(hit.id)
        if enterprise is None:  # deleted since the last index sync: skip, the sync follows
            continue
        highlight = hit.highlight
        found = marked(
            highlight.get("name_words", [])
            + highlight.get("offer_words", [])
            + highlight.get("description_words", [])
        )
        found.sort(key=lambda word: -weights.get(word, 0.0))
        score = float(hit.score or 0.0)
        matches.append(
            Match(
                item=enterprise_data(enterprise, hit.source, user),
                score=score,
                relevance=relevance(score, best),
                terms=found,
                qualifications=_satisfied(hit, wanted),
                snippet=highlight.get("offer", []) + highlight.get("description", []),
            )
        )
    return MatchPage(
        key="enterprise",
        total=results.total,
        page=results.page,
        page_size=results.page_size,
        results=matches,
        terms=[term.word for term in search.terms],
    )
