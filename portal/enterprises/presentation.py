"""The profile as one plain dict: what the profile page, the owner's review step and (later)
PDFs and serializers render.

Building it in one place keeps the field list explicit, and lets ``classification.redaction``
drop the keys a reader may not see (``contacts``, ``legal_representative``,
``qualification_documents``…) before any template gets them: a template cannot show what is
not in its dict. Keys are the model's field names so that per-field tiers apply to them.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import LISTS, PROFILE, Kind, ProfileField, ProfileList
from .models import Enterprise, Industry, QualificationType, Region


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)


@functools.cache  # reference data changes only with a release (migrations)
def _region_names() -> dict[str, str]:
    return {region.code: region.full_name for region in Region.objects.select_related("parent")}


@functools.cache  # reference data changes only with a release (migrations)
def _industry_rows() -> dict[str, dict[str, str]]:
    return {
        i.code: {"code": i.code, "name": i.name, "direction": i.parent.name if i.parent_id else ""}
        for i in Industry.objects.select_related("parent")
    }


@functools.cache  # reference data changes only with a release (migrations)
def qualification_types() -> dict[str, QualificationType]:
    return {kind.code: kind for kind in QualificationType.objects.all()}


def _region_name(code: str | None) -> str:
    if not code:
        return ""
    return _region_names().get(code, code)


def _industries(codes: list[str]) -> list[dict[str, str]]:
    known = _industry_rows()
    return [dict(known[code]) for code in sorted(set(codes)) if code in known]


def validity(valid_from: date | None, valid_until: date | None, today: date) -> tuple[str, str]:
    """("valid" | "expired" | "pending", label): expired ones stop counting as held."""
    if valid_until is not None and valid_until < today:
        return "expired", str(_("Expired"))
    if valid_from is not None and valid_from > today:
        return "pending", str(_("Not yet valid"))
    return "valid", str(_("Valid"))


def _qualification(item: dict[str, Any], types: dict[str, QualificationType], today: date):
    start, end = _date(item.get("valid_from")), _date(item.get("valid_until"))
    state, label = validity(start, end, today)
    kind = types.get(item.get("type") or "")
    return {
        "id": item.get("id"),
        "type": kind.name if kind else item.get("type", ""),
        "level": item.get("level") or "",
        "number": item.get("number") or "",
        "issuer": item.get("issuer") or "",
        "valid_from": start,
        "valid_until": end,
        "state": state,
        "state_label": label,
        "has_document": bool(item.get("document")),
    }


def _value(spec: ProfileField, value: Any) -> Any:
    """A profile field's snapshot value as templates and the API show it."""
    match spec.kind:
        case Kind.DATE:
            return _date(value)
        case Kind.DECIMAL:
            return Decimal(str(value)) if value not in (None, "") else None
        case Kind.CHOICE:
            choices = dict(Enterprise._meta.get_field(spec.name).flatchoices)
            return choices[value] if value else ""
        case Kind.FK if spec.name == "region":
            return _region_name(value)
        case Kind.CODES if spec.name == "industries":
            return _industries(value or [])
        case Kind.TAGS:
            return list(value or [])
    return value or ""


def _item(spec: ProfileList, item: dict[str, Any]) -> dict[str, Any]:
    dates = [field.name for field in spec.fields if field.kind is Kind.DATE]
    return {**item, **{name: _date(item.get(name)) for name in dates}}


def _present(data: dict[str, Any], qualification_items: list[dict[str, Any]]) -> dict[str, Any]:
    today = timezone.localdate()
    types = qualification_types()
    result: dict[str, Any] = {}
    for spec in PROFILE:
        result[spec.name] = _value(spec, data.get(spec.name))
        if spec.name == "region":
            result["region_code"] = data.get("region") or ""  # the name above, the code here
    for spec in LISTS:
        if spec.name == "qualifications":  # rows with ids, validity and a document flag
            result[spec.name] = [_qualification(q, types, today) for q in qualification_items]
        else:
            result[spec.name] = [_item(spec, item) for item in data.get(spec.name) or []]
    return result


def _qualification_rows(enterprise: Enterprise) -> list:
    """The profile's qualifications by type, then expiry (open-ended last), from the prefetch
    when a list of profiles was loaded with one."""
    types = qualification_types()

    def order(q) -> tuple:
        kind = types.get(q.type_id)
        return (kind.sort_order if kind else 0, q.valid_until is None, q.valid_until, q.pk)

    return sorted(enterprise.qualifications.all(), key=order)


def profile_data(enterprise: Enterprise) -> dict[str, Any]:
    """The live (approved) profile. ``qualification_documents`` maps a qualification's id to
    its download URL: a separate key so that redaction can withhold the scans alone."""
    from .snapshots import snapshot

    data = snapshot(enterprise)
    rows = _qualification_rows(enterprise)
    items = [
        {
            "id": q.pk,
            "type": q.type_id,
            "level": q.level,
            "number": q.number,
            "issuer": q.issuer,
            "valid_from": q.valid_from,
            "valid_until": q.valid_until,
            "document": q.document.name if q.document else "",
        }
        for q in rows
    ]
    result = _present(data, items)
    result["pk"] = enterprise.pk
    result["qualification_documents"] = {
        q.pk: reverse("enterprises:qualification_document", args=[enterprise.pk, q.pk])
        for q in rows
        if q.document
    }
    return result


def draft_profile_data(enterprise: Enterprise, data: dict[str, Any]) -> dict[str, Any]:
    """A working copy (snapshot) in the same shape, for its owners and reviewers only."""
    items = [{**q, "id": index} for index, q in enumerate(data.get("qualifications") or [])]
    result = _present(data, items)
    result["pk"] = enterprise.pk
    result["qualification_documents"] = {
        index: reverse("enterprises:draft_document", args=[enterprise.pk, index])
        for index, q in enumerate(data.get("qualifications") or [])
        if q.get("document")
    }
    return result


def attach_document_links(data: dict[str, Any]) -> dict[str, Any]:
    """After redaction: give each qualification its download URL if the reader may have it."""
    links = data.get("qualification_documents") or {}
    for item in data.get("qualifications") or []:
        item["document_url"] = links.get(item["id"], "")
    return data
