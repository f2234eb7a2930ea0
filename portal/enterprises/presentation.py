"""The profile as one plain dict: what the profile page, the owner's review step and (later)
PDFs and serializers render.

Building it in one place keeps the field list explicit, and lets ``classification.redaction``
drop the keys a reader may not see (``contacts``, ``legal_representative``,
``qualification_documents``…) before any template gets them: a template cannot show what is
not in its dict. Keys are the model's field names so that per-field tiers apply to them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, Industry, Ownership, QualificationType, Region, StaffSize

#: Keys of the dict that hold lists of items.
LIST_KEYS = ("qualifications", "products", "technologies", "patents", "cases", "contacts")


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)


def _region_name(code: str | None) -> str:
    if not code:
        return ""
    region = Region.objects.select_related("parent").filter(code=code).first()
    return region.full_name if region else code


def _industries(codes: list[str]) -> list[dict[str, str]]:
    rows = Industry.objects.filter(code__in=codes).select_related("parent").order_by("code")
    return [
        {"code": i.code, "name": i.name, "direction": i.parent.name if i.parent_id else ""}
        for i in rows
    ]


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


def _present(data: dict[str, Any], qualification_items: list[dict[str, Any]]) -> dict[str, Any]:
    today = timezone.localdate()
    types = {t.code: t for t in QualificationType.objects.all()}
    capital = data.get("registered_capital")
    return {
        "uscc": data.get("uscc") or "",
        "name": data.get("name") or "",
        "short_name": data.get("short_name") or "",
        "legal_representative": data.get("legal_representative") or "",
        "founded_on": _date(data.get("founded_on")),
        "registered_capital": Decimal(str(capital)) if capital not in (None, "") else None,
        "staff_size": StaffSize(data["staff_size"]).label if data.get("staff_size") else "",
        "ownership": Ownership(data["ownership"]).label if data.get("ownership") else "",
        "region": _region_name(data.get("region")),
        "region_code": data.get("region") or "",
        "address": data.get("address") or "",
        "website": data.get("website") or "",
        "industries": _industries(data.get("industries") or []),
        "description": data.get("description") or "",
        "capabilities": data.get("capabilities") or "",
        "capability_tags": list(data.get("capability_tags") or []),
        "qualifications": [_qualification(q, types, today) for q in qualification_items],
        "products": [dict(p) for p in data.get("products") or []],
        "technologies": [dict(t) for t in data.get("technologies") or []],
        "patents": [
            {**p, "granted_on": _date(p.get("granted_on"))} for p in data.get("patents") or []
        ],
        "cases": [dict(c) for c in data.get("cases") or []],
        "contacts": [dict(c) for c in data.get("contacts") or []],
    }


def profile_data(enterprise: Enterprise) -> dict[str, Any]:
    """The live (approved) profile. ``qualification_documents`` maps a qualification's id to
    its download URL: a separate key so that redaction can withhold the scans alone."""
    from .snapshots import snapshot

    data = snapshot(enterprise)
    rows = list(enterprise.qualifications.order_by("type__sort_order", "valid_until", "pk"))
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
