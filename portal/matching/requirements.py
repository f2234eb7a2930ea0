"""A demand notice's hard requirements, as engine filters and as a Python check.

A notice asks for qualification types, some at a minimum level (levels are listed highest
first, so 二级 or higher means 一级 or 二级), and perhaps for suppliers in its region. A
qualification counts when it is held now (started) and still valid on the notice's deadline —
a certificate that lapses before the supplier could deliver is no qualification for this
demand. The same rule runs in the engine (``engine_filters``, for supplier matching) and in
Python (``check``, for the notices that fit one enterprise), so both sides agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Requirement:
    """One required qualification type; ``levels`` are the acceptable ones (empty: any)."""

    code: str
    name: str
    minimum_level: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Satisfied:
    """A held qualification that meets a requirement (what the explanation shows)."""

    code: str
    name: str
    level: str
    valid_until: date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.code,
            "name": self.name,
            "level": self.level,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }


def acceptable_levels(levels: list[str], minimum: str) -> tuple[str, ...]:
    """The levels at or above ``minimum`` (``levels`` run highest first); () means any."""
    if not minimum or minimum not in levels:
        return ()
    return tuple(levels[: levels.index(minimum) + 1])


def requirements(notice) -> list[Requirement]:
    """The qualification requirements of ``notice``, one per type (the strictest level wins)."""
    found: dict[str, Requirement] = {}
    # .all(): uses a prefetch of required_qualifications__qualification_type when there is one
    for row in notice.required_qualifications.all():
        kind = row.qualification_type
        wanted = Requirement(
            kind.code,
            kind.name,
            row.minimum_level,
            acceptable_levels(kind.levels or [], row.minimum_level),
        )
        known = found.get(kind.code)
        if known is None or _breadth(wanted) < _breadth(known):
            found[kind.code] = wanted
    return list(found.values())


def _breadth(requirement: Requirement) -> int:
    """How many levels a requirement accepts (any level: more than any list)."""
    return len(requirement.levels) if requirement.levels else 1_000


def valid_on(notice, today: date | None = None) -> date:
    """The day a qualification must still be valid: the deadline, or today when there is none
    or when it has passed (a closed notice is matched as of today)."""
    today = today or timezone.localdate()
    if notice.deadline is None:
        return today
    return max(timezone.localdate(notice.deadline), today)


def _missing(field: str) -> dict[str, Any]:
    return {"bool": {"must_not": [{"exists": {"field": field}}]}}


def qualification_clause(requirement: Requirement, on: date, today: date) -> dict[str, Any]:
    """A nested filter: a held qualification of this type (and level), started by ``today``
    and valid until ``on`` or open-ended."""
    conditions: list[dict[str, Any]] = [
        {"term": {"qualifications.type": requirement.code}},
        {
            "bool": {
                "should": [
                    {"range": {"qualifications.valid_from": {"lte": today.isoformat()}}},
                    _missing("qualifications.valid_from"),
                ],
                "minimum_should_match": 1,
            }
        },
        {
            "bool": {
                "should": [
                    {"range": {"qualifications.valid_until": {"gte": on.isoformat()}}},
                    _missing("qualifications.valid_until"),
                ],
                "minimum_should_match": 1,
            }
        },
    ]
    if requirement.levels:
        conditions.append({"terms": {"qualifications.level": list(requirement.levels)}})
    return {
        "nested": {
            "path": "qualifications",
            "query": {"bool": {"filter": conditions}},
            "inner_hits": {
                "name": f"q_{requirement.code}",
                "size": 3,
                "_source": [
                    "qualifications.type",
                    "qualifications.level",
                    "qualifications.valid_until",
                ],
            },
        }
    }


def engine_filters(notice, today: date | None = None) -> list[dict[str, Any]]:
    """Filter clauses for the enterprises index: every requirement held, region if asked."""
    today = today or timezone.localdate()
    on = valid_on(notice, today)
    clauses = [qualification_clause(r, on, today) for r in requirements(notice)]
    if getattr(notice, "region_required", False) and notice.region_id:
        clauses.append({"term": {"region": notice.region_id}})
    return clauses


def holds(qualification, requirement: Requirement, on: date, today: date) -> bool:
    """Whether one held ``Qualification`` row meets ``requirement`` (the engine rule, in Python)."""
    if qualification.type_id != requirement.code:
        return False
    if qualification.valid_from is not None and qualification.valid_from > today:
        return False
    if qualification.valid_until is not None and qualification.valid_until < on:
        return False
    return not requirement.levels or qualification.level in requirement.levels


def check(
    held: list, notice, wanted: list[Requirement], today: date | None = None
) -> list[Satisfied] | None:
    """The satisfied requirements when ``held`` (Qualification rows) meets all of ``wanted``
    for ``notice``; None when one is missing."""
    today = today or timezone.localdate()
    on = valid_on(notice, today)
    satisfied = []
    for requirement in wanted:
        match = next((q for q in held if holds(q, requirement, on, today)), None)
        if match is None:
            return None
        satisfied.append(
            Satisfied(requirement.code, requirement.name, match.level, match.valid_until)
        )
    return satisfied


def region_fits(enterprise, notice) -> bool:
    """Whether ``enterprise`` lies in the notice's region when the notice asks for it."""
    if not getattr(notice, "region_required", False) or not notice.region_id:
        return True
    return notice.region_id in enterprise.region.ancestor_codes()
