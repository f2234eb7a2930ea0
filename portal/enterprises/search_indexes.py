"""The supplier directory's index: approved enterprise profiles, declared for the search service.

``SUPPLIERS`` is the one declaration of the index: its mapping, what may be in it (released
profiles), how a document is built from plain database rows (an explicit field list, so a new
model field never reaches the engine by accident), which saves touch it, and how a hit reads.
The search service (``search.registry``) drives sync, rebuilds and checks from it.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from elasticsearch_dsl import Date, InnerDoc, Integer, Keyword, Nested, Text

from classification import policy
from search.analysis import segment, suggestion_inputs
from search.documents import (
    ReleasedDocument,
    release_fields,
    suggest_index,
    suggest_search,
    text,
    words_field,
)
from search.registry import SearchIndex, Watch

from . import confirmation
from .fields import SEARCH_LIST_COLUMNS, SEARCH_PROFILE_COLUMNS, SEARCH_TEXT_FIELDS, profile_list
from .models import (
    Enterprise,
    EnterpriseClaim,
    EnterpriseVersion,
    Industry,
    Ownership,
    Product,
    Qualification,
    QualificationType,
    Recommendation,
    Region,
    StaffSize,
    Technology,
)

SUMMARY_LENGTH = 160
#: Profiles per chunk of a build: five queries each.
CHUNK = 500


class HeldQualification(InnerDoc):
    """A qualification with its validity, for matching "valid on the deadline"."""

    type = Keyword()
    level = Keyword()
    level_rank = Integer()
    valid_from = Date()
    valid_until = Date()


class EnterpriseDocument(ReleasedDocument):
    """One approved enterprise profile in the supplier directory."""

    uscc = Keyword()
    name = text()
    name_words = words_field()
    short_name = text()
    offer = text()
    offer_words = words_field()
    description = text()
    description_words = words_field()
    summary = Keyword(index=False, doc_values=False)
    suggest = Text(analyzer=suggest_index, search_analyzer=suggest_search)
    suggest_phrases = Keyword(index=False, doc_values=False)

    # Facets: their global ordinals are built at refresh, not by the first search after it.
    industry = Keyword(eager_global_ordinals=True)
    region = Keyword(eager_global_ordinals=True)
    region_code = Keyword()
    qualification = Keyword(eager_global_ordinals=True)
    qualifications = Nested(HeldQualification)
    staff_size = Keyword(eager_global_ordinals=True)
    ownership = Keyword(eager_global_ordinals=True)
    updated_at = Date()
    #: The last yearly confirmation: profiles past due rank lower (``confirmation``).
    confirmed_at = Date()
    #: "yes" while a published public 推介目录 recommends the enterprise (badge and facet).
    featured = Keyword(eager_global_ordinals=True)


def indexable() -> QuerySet:
    """The profiles that belong in the index: released ones only (drafts never leave the DB)."""
    return Enterprise.objects.filter(Enterprise.classification.released())


# --- labels of the reference data ------------------------------------------------------------


@functools.cache  # reference data changes only with a release (migrations)
def industry_labels() -> dict[str, str]:
    return dict(Industry.objects.values_list("code", "name"))


@functools.cache  # reference data changes only with a release (migrations)
def region_labels() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def featured_labels() -> dict[str, str]:
    return {"yes": str(_("Recommended (推介)"))}


@functools.cache  # reference data changes only with a release (migrations)
def qualification_labels() -> dict[str, str]:
    """Each type, and each type with a level (``type:level``, as the facet stores it)."""
    labels: dict[str, str] = {}
    for code, name, levels in QualificationType.objects.values_list("code", "name", "levels"):
        labels[code] = name
        for level in levels:
            labels[f"{code}:{level}"] = f"{name}（{level}）"
    return labels


def staff_size_labels() -> dict[str, str]:
    return {value: str(label) for value, label in StaffSize.choices}


def ownership_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Ownership.choices}


# --- building documents ----------------------------------------------------------------------


@dataclass
class Reference:
    """The reference data a build reads once: region and industry codes with their parents
    (the models' own ``ancestor_codes``) and the qualification types' grades."""

    region_codes: dict[str, list[str]]
    industry_codes: dict[str, list[str]]
    qualification_types: dict[str, QualificationType]


@functools.cache  # reference data changes only with a release (migrations)
def reference() -> Reference:
    return Reference(
        region_codes={region.code: region.ancestor_codes() for region in Region.objects.all()},
        industry_codes={
            industry.code: industry.ancestor_codes() for industry in Industry.objects.all()
        },
        qualification_types={kind.code: kind for kind in QualificationType.objects.all()},
    )


@dataclass
class ProfileRows:
    """One enterprise as plain rows: the profile's columns, its industries and the lists the
    document reads (``fields.SEARCH_LIST_COLUMNS``), each in display order."""

    profile: dict[str, Any]
    industries: list[str] = field(default_factory=list)
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    featured: bool = False


def _grouped(rows: Iterable[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["enterprise_id"]].append(row)
    return grouped


def profile_rows(ids: list[int]) -> list[ProfileRows]:
    """The indexable enterprises among ``ids`` (sorted) with their lists: a query per table.

    The columns come from the profile's field specification (``fields.SEARCH_*``). Plain rows
    instead of model instances with prefetches: creating instances and their related
    querysets was most of a rebuild's time.
    """
    chosen = set(ids)  # a profile released inside a range meanwhile waits for its own sync
    among = policy.among("enterprise_id", ids)
    profiles = indexable().filter(policy.among("pk", ids)).order_by("pk")
    found = [
        ProfileRows(row) for row in profiles.values(*SEARCH_PROFILE_COLUMNS) if row["id"] in chosen
    ]
    pks = {rows.profile["id"] for rows in found}
    industries: dict[int, list[str]] = defaultdict(list)
    through = Enterprise.industries.through.objects.filter(among)
    for enterprise_id, code in through.values_list("enterprise_id", "industry_id"):
        if enterprise_id in pks:
            industries[enterprise_id].append(code)
    lists = {
        name: _grouped(
            profile_list(name).model.objects.filter(among).values("enterprise_id", *columns)
        )
        for name, columns in SEARCH_LIST_COLUMNS.items()
    }
    featured = set(
        Recommendation.objects.filter(Recommendation.public(), among).values_list(
            "enterprise_id", flat=True
        )
    )
    for rows in found:
        pk = rows.profile["id"]
        rows.industries = industries.get(pk, [])
        rows.lists = {name: items.get(pk, []) for name, items in lists.items()}
        rows.featured = pk in featured
    return found


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _offer(rows: ProfileRows) -> tuple[str, list[str]]:
    """What the profile offers as one text (each text list's titles, e.g. product names, then
    its other text, then capabilities and tags), and the titles themselves."""
    profile = rows.profile
    titles = [
        item[fields[0]]
        for name, fields in SEARCH_TEXT_FIELDS.items()
        for item in rows.lists.get(name, [])
    ]
    lines = [
        " ".join(item[fields[0]] for item in rows.lists.get(name, []))
        for name, fields in SEARCH_TEXT_FIELDS.items()
    ]
    lines += [
        item[text]
        for name, fields in SEARCH_TEXT_FIELDS.items()
        for text in fields[1:]
        for item in rows.lists.get(name, [])
    ]
    tags = " ".join(profile["capability_tags"] or [])
    return _join(*lines, profile["capabilities"], tags), titles


def _qualifications(
    rows: ProfileRows, known: Reference, today: date
) -> tuple[list[dict[str, Any]], list[str]]:
    """Every qualification held with its validity (matching checks it on a deadline), and the
    facet values of those valid ``today`` (type, and type with level)."""
    held, valid = [], []
    for row in rows.lists.get("qualifications", []):
        rank = known.qualification_types[row["type_id"]].level_rank(row["level"])
        held.append(
            {
                "type": row["type_id"],
                "level": row["level"],
                "level_rank": rank if rank is not None else 0,
                "valid_from": row["valid_from"],
                "valid_until": row["valid_until"],
            }
        )
        if Qualification.valid_between(row["valid_from"], row["valid_until"], today):
            valid.append(row["type_id"])
            if row["level"]:
                valid.append(f"{row['type_id']}:{row['level']}")
    return held, sorted(set(valid))


def enterprise_document(
    rows: ProfileRows, access: dict[str, list], known: Reference, today: date
) -> dict[str, Any]:
    """The source of one enterprise document; ``today``: whose valid qualifications it lists."""
    profile = rows.profile
    offer, titles = _offer(rows)
    industry_codes = {
        ancestor for code in rows.industries for ancestor in known.industry_codes.get(code, [code])
    }
    held, valid_types = _qualifications(rows, known, today)
    phrases = [p for p in (profile["name"], profile["short_name"], *titles) if p]
    description = profile["description"] or ""
    return {
        **release_fields(profile["tier"], access),
        "uscc": profile["uscc"],
        "name": profile["name"],
        "name_words": segment(profile["name"], for_index=True),
        "short_name": profile["short_name"],
        "offer": offer,
        "offer_words": segment(offer, for_index=True),
        "description": description,
        "description_words": segment(description, for_index=True),
        "summary": description[:SUMMARY_LENGTH],
        "suggest": suggestion_inputs(phrases),
        "suggest_phrases": list(dict.fromkeys(phrases)),
        "industry": sorted(industry_codes),
        "region": known.region_codes[profile["region_id"]],
        "region_code": profile["region_id"],
        "qualification": valid_types,
        "qualifications": held,
        "staff_size": profile["staff_size"] or None,
        "ownership": profile["ownership"] or None,
        "updated_at": profile["updated_at"],
        "confirmed_at": profile["confirmed_at"],
        "featured": "yes" if rows.featured else None,
    }


def _chunks(ids: Iterable[int] | None) -> Iterator[list[int]]:
    """Sorted chunks of ``ids``, or of every indexable profile for ``None``."""
    if ids is not None:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), CHUNK):
            yield wanted[start : start + CHUNK]
        return
    candidates = indexable().order_by("pk").values_list("pk", flat=True)
    last = 0
    while chunk := list(candidates.filter(pk__gt=last)[:CHUNK]):
        yield chunk
        last = chunk[-1]


def _reference_for(found: list[ProfileRows]) -> Reference:
    """The cached reference data, read again if a row names a code it does not know yet."""
    known = reference()
    for rows in found:
        if rows.profile["region_id"] not in known.region_codes or any(
            row["type_id"] not in known.qualification_types
            for row in rows.lists.get("qualifications", [])
        ):
            reference.cache_clear()
            return reference()
    return known


def documents(ids: Iterable[int] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(id, source) for every indexable profile (or those among ``ids``), a chunk at a time;
    ids that are not indexable are left out (the drain deletes their documents)."""
    today = timezone.localdate()
    for chunk in _chunks(ids):
        access = policy.index_principals(Enterprise, chunk)
        found = profile_rows(chunk)
        known = _reference_for(found)
        for rows in found:
            pk = rows.profile["id"]
            yield pk, enterprise_document(rows, access.get(pk, {}), known, today)


# --- how a hit reads -------------------------------------------------------------------------

_PK_PLACEHOLDER = 987654321


@functools.lru_cache(maxsize=8)
def _profile_path(urlconf: str, script_prefix: str) -> str:
    return reverse("enterprises:profile", urlconf=urlconf, args=[_PK_PLACEHOLDER]).replace(
        str(_PK_PLACEHOLDER), "{pk}"
    )


def profile_url(pk: int) -> str:
    """The profile page of ``pk``: the route reversed once per URL configuration and script
    prefix, then filled in, rather than reversed again for each of a page's twenty hits."""
    return _profile_path(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()).format(pk=pk)


def present(hit) -> dict[str, Any]:
    """A supplier hit as the directory, the API, alerts and the site search show it."""
    source = hit.source
    region = source.get("region_code", "")
    industries, qualifications = industry_labels(), qualification_labels()
    return {
        "id": hit.id,
        "name": source.get("name", ""),
        "uscc": source.get("uscc", ""),
        "region": {"code": region, "name": region_labels().get(region, "")},
        "industries": [
            {"code": code, "name": industries.get(code, code)}
            for code in source.get("industry", [])
        ],
        "qualifications": [
            {"code": code, "name": qualifications.get(code, code)}
            for code in source.get("qualification", [])
            if ":" not in code
        ],
        "summary": source.get("summary", ""),
        "overdue": confirmation.overdue_at(source.get("confirmed_at")),
        "featured": source.get("featured") == "yes",
        "highlight": hit.highlight,
        "url": profile_url(hit.id),
    }


def _of_profile(instance) -> list[int]:
    return [instance.enterprise_id]


SUPPLIERS = SearchIndex(
    name="enterprises",
    document=EnterpriseDocument,
    model=Enterprise,
    indexable=indexable,
    build=documents,
    hit_type="enterprise",
    present=present,
    # Where did-you-mean looks: the fields its phrases come from (names, short names, the
    # offer's titles). Descriptions, the largest field, offer no phrase and cost the most.
    bigram_fields=("name^3", "short_name^2", "offer^2"),
    word_fields=("name_words^5", "offer_words^3", "description_words^1.5"),
    phrase_fields=("name^3", "short_name^2", "offer^2", "description"),
    # A dictionary word of the query is looked for as written in the short fields only;
    # descriptions, the longest field and most of a broad query's matches, hold it among
    # their words (``description_words``): at a million profiles the phrase there doubled the
    # scoring of every match, for no hit the words miss in bench/search.py's labelled queries.
    term_phrase_fields=("name^3", "short_name^2", "offer^2"),
    highlight_whole=("name",),
    highlight_fragments=("offer", "description"),
    hidden_source=("*_words", "suggest", "offer", "description", "grants", "timed_grants"),
    watches=(
        Watch(Enterprise),
        Watch(Enterprise.industries.through, ids=lambda instance: [instance.pk], m2m=True),
        Watch(Product, ids=_of_profile),
        Watch(Technology, ids=_of_profile),
        Watch(Qualification, ids=_of_profile),
        # A version submitted or decided, a claim made or decided: the reviewers' reach
        # (indexed as principals) changed.
        Watch(EnterpriseVersion, ids=_of_profile, deletes=False),
        Watch(EnterpriseClaim, ids=_of_profile, deletes=False),
    ),
)
