"""Open demand notices that fit one enterprise (供需对接, supply side), in SQL.

There are few open demand notices at any time (tens to hundreds), so they are read through the
release policy (``policy.visible``: a supplier never sees a notice it may not see) and scored in
Python: the notice's key terms (``terms.key_terms``, the search service's analysis) that occur
among the enterprise's words, plus industry overlap, and the same hard requirements as
supplier matching (``requirements.check``). Words of a field the reader may not read (the
detailed technical requirements of a notice above their reach) neither score nor show.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from classification import policy
from portal.accounts import roles
from portal.enterprises.models import Enterprise, Qualification
from portal.notices.models import Kind, NoticePage, open_notices, released_notices
from portal.notices.presentation import summary_data
from search.queries import clean_paging

from . import requirements as reqs
from .results import Match, MatchPage, relevance
from .terms import key_terms, notice_places, words

#: A shared industry counts like a key term of this weight.
INDUSTRY_WEIGHT = 4.0


def may_match_notices(user, enterprise: Enterprise) -> bool:
    """Who may list the notices fitting an enterprise: its owners, its reviewers, officers."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if policy.is_officer(user) or enterprise.owners.filter(pk=user.pk).exists():
        return True
    return roles.REVIEWER in roles.role_names(user)


def enterprise_words(enterprise: Enterprise) -> set[str]:
    """Every word of the profile (name, offer, capabilities, cases, description)."""
    parts = [
        enterprise.name,
        enterprise.short_name,
        enterprise.description,
        enterprise.capabilities,
    ]
    parts += [" ".join(enterprise.capability_tags or [])]
    for item in [*enterprise.products.all(), *enterprise.technologies.all()]:
        parts += [item.name, item.description]
    for case in enterprise.cases.all():
        parts += [case.title, case.description]
    parts += [industry.name for industry in enterprise.industries.all()]
    return set(words("\n".join(part for part in parts if part)))


def candidates(user):
    """Open, released demand notices ``user`` may see, with what scoring reads: only those
    whose body they read, since a match is scored on it (a stub would leak its industries)."""
    queryset = (
        NoticePage.objects.live()
        .filter(released_notices(), open_notices(), kind=Kind.DEMAND)
        .select_related("region")
        .prefetch_related("industries", "required_qualifications__qualification_type")
    )
    body = policy.body_readable(NoticePage, user)
    if body is not None:
        queryset = queryset.filter(body)
    return policy.visible(queryset, user).order_by("-first_published_at", "-pk")


def _industry_codes(industries) -> set[str]:
    codes: set[str] = set()
    for industry in industries:
        codes.update(industry.ancestor_codes())
    return codes


def score_notice(
    user, notice: NoticePage, mine: set[str], my_industries: set[str]
) -> tuple[float, list[str]] | None:
    """(score, matched words) of ``notice`` for an enterprise with words ``mine``; None when
    nothing fits. The score is the matched share of the notice's term weight, 0..1."""
    readable = policy.field_visible(user, notice, "requirements")
    terms = key_terms(notice_places(notice, include_requirements=readable))
    matched = [term for term in terms if term.word in mine]
    shared = _industry_codes(notice.industries.all()) & my_industries
    if not matched and not shared:
        return None
    total = sum(term.weight for term in terms) + (INDUSTRY_WEIGHT if notice.industries.all() else 0)
    gained = sum(term.weight for term in matched) + (INDUSTRY_WEIGHT if shared else 0)
    return (gained / total if total else 0.0), [term.word for term in matched]


def match_notices(user, enterprise: Enterprise, page: Any = 1, page_size: Any = 20) -> MatchPage:
    """Open demand notices visible to ``user`` that ``enterprise`` qualifies for and fits,
    best first. Raises ``QueryError`` for bad paging, Http404 when ``user`` may not list them."""
    page, page_size = clean_paging(page, page_size)
    if not (policy.can_view(user, enterprise) and may_match_notices(user, enterprise)):
        raise Http404("No such enterprise.")
    enterprise = (
        Enterprise.objects.select_related("region")
        .prefetch_related(
            "products",
            "technologies",
            "cases",
            "industries",
            Prefetch("qualifications", queryset=Qualification.objects.select_related("type")),
        )
        .get(pk=enterprise.pk)
    )
    mine = enterprise_words(enterprise)
    my_industries = _industry_codes(enterprise.industries.all())
    held = list(enterprise.qualifications.all())
    scored: list[tuple[float, NoticePage, list[str], list[dict[str, Any]]]] = []
    for notice in candidates(user):
        if not reqs.region_fits(enterprise, notice):
            continue
        satisfied = reqs.check(held, notice, reqs.requirements(notice))
        if satisfied is None:
            continue
        fit = score_notice(user, notice, mine, my_industries)
        if fit is None:
            continue
        scored.append((fit[0], notice, fit[1], [s.as_dict() for s in satisfied]))
    scored.sort(key=lambda row: (-row[0], -(row[1].pk)))
    best = scored[0][0] if scored else 0.0
    start = (page - 1) * page_size
    results = [
        Match(
            item=summary_data(notice, user),
            score=score,
            relevance=relevance(score, best),
            terms=matched,
            qualifications=satisfied,
        )
        for score, notice, matched, satisfied in scored[start : start + page_size]
    ]
    return MatchPage(
        key="notice", total=len(scored), page=page, page_size=page_size, results=results
    )
