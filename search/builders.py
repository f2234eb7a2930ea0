"""Documents built from the database, from explicit field lists.

``indexable(name)`` is the one definition of what may be in an index: sync, rebuild and
reconciliation all use it. A document carries its release tier and the principals granted
targeted access, so that the policy filters inside the engine query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from portal.enterprises.models import (
    Enterprise,
    Industry,
    Product,
    Qualification,
    QualificationType,
    Region,
    Technology,
)

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


#: The enterprise columns a document needs; rows are read as dicts, not model instances.
ENTERPRISE_COLUMNS = (
    "id",
    "tier",
    "uscc",
    "name",
    "short_name",
    "description",
    "capabilities",
    "capability_tags",
    "region_id",
    "staff_size",
    "ownership",
    "updated_at",
)


class Reference:
    """The reference data of one build, read once: region and industry codes with their
    parents (the models' own ``ancestor_codes``), the qualification types' grades, and the day
    whose valid qualifications the documents list (the time zone lookup is not cheap)."""

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.region_codes = {
            region.code: region.ancestor_codes() for region in Region.objects.all()
        }
        self.industry_codes = {
            industry.code: industry.ancestor_codes() for industry in Industry.objects.all()
        }
        self.qualification_types = {kind.code: kind for kind in QualificationType.objects.all()}


def _grouped(rows: Iterable[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["enterprise_id"]].append(row)
    return grouped


@dataclass
class ProfileRows:
    """One enterprise as plain rows: the profile's columns and its lists, in display order."""

    profile: dict[str, Any]
    industries: list[str] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    technologies: list[dict[str, Any]] = field(default_factory=list)
    qualifications: list[dict[str, Any]] = field(default_factory=list)


def profile_rows(ids: list[int], dense: bool = False) -> list[ProfileRows]:
    """The indexable enterprises among ``ids`` with their lists: five queries per chunk.

    Plain rows instead of model instances with prefetches: the rebuild spent most of its time
    creating instances and per-instance related querysets (bench/indexing.py). ``dense``: the
    ids are a run of consecutive indexable profiles (a full build), so each query reads a
    primary key range instead of carrying 500 ids (whose parameters cost more than the rows);
    rows of the range's other profiles (drafts) are left out here.
    """
    wanted = {"gte": ids[0], "lte": ids[-1]} if dense else {"in": ids}

    def of_chunk(model, field: str = "enterprise_id"):
        return model.objects.filter(**{f"{field}__{op}": value for op, value in wanted.items()})

    chosen = set(ids)  # a profile released inside the range meanwhile waits for its own sync
    profiles = indexable("enterprises").filter(**{f"pk__{op}": v for op, v in wanted.items()})
    rows_of = profiles.order_by("pk").values(*ENTERPRISE_COLUMNS)
    found = [ProfileRows(row) for row in rows_of if row["id"] in chosen]
    pks = {rows.profile["id"] for rows in found}
    industries: dict[int, list[str]] = defaultdict(list)
    through = of_chunk(Enterprise.industries.through)
    for enterprise_id, code in through.values_list("enterprise_id", "industry_id"):
        if enterprise_id in pks:
            industries[enterprise_id].append(code)
    item = ("enterprise_id", "name", "description")
    products = _grouped(of_chunk(Product).values(*item))
    technologies = _grouped(of_chunk(Technology).values(*item))
    qualifications = _grouped(
        of_chunk(Qualification).values(
            "enterprise_id", "type_id", "level", "valid_from", "valid_until"
        )
    )
    for rows in found:
        pk = rows.profile["id"]
        rows.industries = industries.get(pk, [])
        rows.products = products.get(pk, [])
        rows.technologies = technologies.get(pk, [])
        rows.qualifications = qualifications.get(pk, [])
    return found


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def enterprise_document(
    rows: ProfileRows, access: dict[str, list], reference: Reference
) -> dict[str, Any]:
    """The source of one enterprise document."""
    profile = rows.profile
    products = [product["name"] for product in rows.products]
    technologies = [technology["name"] for technology in rows.technologies]
    offer = _join(
        " ".join(products),
        " ".join(technologies),
        *(p["description"] for p in rows.products),
        *(t["description"] for t in rows.technologies),
        profile["capabilities"],
        " ".join(profile["capability_tags"] or []),
    )
    industry_codes: list[str] = []
    for code in rows.industries:
        industry_codes.extend(reference.industry_codes.get(code, [code]))
    held = []
    valid_types: list[str] = []
    for row in rows.qualifications:
        kind = reference.qualification_types[row["type_id"]]
        rank = kind.level_rank(row["level"])
        held.append(
            {
                "type": row["type_id"],
                "level": row["level"],
                "level_rank": rank if rank is not None else 0,
                "valid_from": row["valid_from"],
                "valid_until": row["valid_until"],
            }
        )
        if Qualification.valid_between(row["valid_from"], row["valid_until"], reference.today):
            valid_types.append(row["type_id"])
            if row["level"]:
                valid_types.append(f"{row['type_id']}:{row['level']}")
    phrases = [profile["name"], profile["short_name"], *products, *technologies]
    description = profile["description"] or ""
    return {
        "tier": profile["tier"],
        "grants": access.get("grants", []),
        "timed_grants": access.get("timed_grants", []),
        "uscc": profile["uscc"],
        "name": profile["name"],
        "name_words": segment(profile["name"], for_index=True),
        "short_name": profile["short_name"],
        "offer": offer,
        "offer_words": segment(offer, for_index=True),
        "description": description,
        "description_words": segment(description, for_index=True),
        "summary": description[:SUMMARY_LENGTH],
        "suggest": suggestion_inputs([p for p in phrases if p]),
        "suggest_phrases": list(dict.fromkeys(p for p in phrases if p)),
        "industry": sorted(set(industry_codes)),
        "region": reference.region_codes[profile["region_id"]],
        "region_code": profile["region_id"],
        "qualification": sorted(set(valid_types)),
        "qualifications": held,
        "staff_size": profile["staff_size"] or None,
        "ownership": profile["ownership"] or None,
        "updated_at": profile["updated_at"],
    }


def documents(
    name: str,
    ids: Iterable[int] | None = None,
    chunk: int = 500,
    *,
    dense: bool = False,
    reference: Reference | None = None,
) -> Iterator[tuple]:
    """(id, source) for every indexable row of ``name`` (or of ``ids`` among them), in chunks.

    ``dense``: ``ids`` are one sorted chunk of a full build (``search.loading`` hands each
    builder process such chunks), read as a primary key range. ``reference``: the build's
    reference data when the caller already has it.
    """
    if name in CONTENT_INDICES:
        yield from content_documents(name, ids)
        return
    if name != "enterprises":
        raise KeyError(name)
    reference = reference or Reference()
    if ids is not None and dense:
        yield from _enterprise_documents(sorted(ids), True, reference)
        return
    candidates = indexable("enterprises").order_by("pk").values_list("pk", flat=True)
    if ids is not None:
        candidates = candidates.filter(pk__in=list(ids))
    last = 0
    while True:
        chunk_ids = list(candidates.filter(pk__gt=last)[:chunk])
        if not chunk_ids:
            return
        yield from _enterprise_documents(chunk_ids, ids is None, reference)
        last = chunk_ids[-1]


def _enterprise_documents(
    chunk_ids: list[int], dense: bool, reference: Reference
) -> Iterator[tuple[int, dict[str, Any]]]:
    from classification import policy

    if not chunk_ids:
        return
    access = policy.index_principals(Enterprise, chunk_ids, dense=dense)
    for rows in profile_rows(chunk_ids, dense=dense):
        pk = rows.profile["id"]
        yield pk, enterprise_document(rows, access.get(pk, {}), reference)
