"""Documents built from the database, from explicit field lists.

``indexable(name)`` is the one definition of what may be in an index: sync, rebuild and
reconciliation all use it. A document carries its release tier and the principals granted
targeted access, so that the policy filters inside the engine query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from portal.enterprises.models import Enterprise, Qualification

from .analysis import segment, suggestion_inputs
from .content import CONTENT_INDICES, content_documents, content_indexable

SUMMARY_LENGTH = 160


def indexable(name: str) -> QuerySet:
    """The rows that belong in index ``name``: released items only (drafts never leave the DB)."""
    if name == "enterprises":
        return Enterprise.objects.filter(Enterprise.classification.released())
    if name in CONTENT_INDICES:
        return content_indexable(name)
    raise KeyError(name)


def _enterprise_queryset(ids: Iterable[int] | None = None) -> QuerySet:
    queryset = (
        indexable("enterprises")
        .select_related("region")
        .prefetch_related(
            "industries",
            "products",
            "technologies",
            Prefetch("qualifications", queryset=Qualification.objects.select_related("type")),
        )
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.order_by("pk")


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def enterprise_document(enterprise: Enterprise, access: dict[str, list]) -> dict[str, Any]:
    """The source of one enterprise document."""
    today = timezone.localdate()
    products = [product.name for product in enterprise.products.all()]
    technologies = [technology.name for technology in enterprise.technologies.all()]
    offer = _join(
        " ".join(products),
        " ".join(technologies),
        *(p.description for p in enterprise.products.all()),
        *(t.description for t in enterprise.technologies.all()),
        enterprise.capabilities,
        " ".join(enterprise.capability_tags or []),
    )
    industry_codes: list[str] = []
    for industry in enterprise.industries.all():
        industry_codes.extend(industry.ancestor_codes())
    held = []
    valid_types: list[str] = []
    for qualification in enterprise.qualifications.all():
        rank = qualification.type.level_rank(qualification.level)
        held.append(
            {
                "type": qualification.type_id,
                "level": qualification.level,
                "level_rank": rank if rank is not None else 0,
                "valid_from": qualification.valid_from,
                "valid_until": qualification.valid_until,
            }
        )
        if qualification.is_valid(today):
            valid_types.append(qualification.type_id)
            if qualification.level:
                valid_types.append(f"{qualification.type_id}:{qualification.level}")
    phrases = [enterprise.name, enterprise.short_name, *products, *technologies]
    description = enterprise.description or ""
    return {
        "tier": enterprise.tier,
        "grants": access.get("grants", []),
        "timed_grants": access.get("timed_grants", []),
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "name_words": segment(enterprise.name, for_index=True),
        "short_name": enterprise.short_name,
        "offer": offer,
        "offer_words": segment(offer, for_index=True),
        "description": description,
        "description_words": segment(description, for_index=True),
        "summary": description[:SUMMARY_LENGTH],
        "suggest": suggestion_inputs([p for p in phrases if p]),
        "suggest_phrases": list(dict.fromkeys(p for p in phrases if p)),
        "industry": sorted(set(industry_codes)),
        "region": enterprise.region.ancestor_codes(),
        "region_code": enterprise.region_id,
        "qualification": sorted(set(valid_types)),
        "qualifications": held,
        "staff_size": enterprise.staff_size or None,
        "ownership": enterprise.ownership or None,
        "updated_at": enterprise.updated_at,
    }


def documents(name: str, ids: Iterable[int] | None = None, chunk: int = 500) -> Iterator[tuple]:
    """(id, source) for every indexable row of ``name`` (or of ``ids`` among them), in chunks."""
    if name in CONTENT_INDICES:
        yield from content_documents(name, ids)
        return
    if name != "enterprises":
        raise KeyError(name)
    queryset = _enterprise_queryset(ids)
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:chunk])
        if not batch:
            return
        from classification import policy

        access = policy.index_principals(Enterprise, [row.pk for row in batch])
        for enterprise in batch:
            yield enterprise.pk, enterprise_document(enterprise, access.get(enterprise.pk, {}))
        last = batch[-1].pk
