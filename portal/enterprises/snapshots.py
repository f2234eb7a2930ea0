"""A whole profile as plain JSON, and back.

Versions store snapshots; the reviewer's diff compares two snapshots; approving a version
applies its snapshot to the live rows; export and import read the same shape. Keeping one
explicit field list here means a field added to a model reaches none of those by accident.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from .models import (
    Case,
    Contact,
    Enterprise,
    Patent,
    Product,
    Qualification,
    Technology,
)

#: Profile fields copied between the row and a snapshot, in display order.
PROFILE_FIELDS: tuple[str, ...] = (
    "uscc",
    "name",
    "short_name",
    "legal_representative",
    "founded_on",
    "registered_capital",
    "staff_size",
    "ownership",
    "region",
    "address",
    "website",
    "industries",
    "description",
    "capabilities",
    "capability_tags",
)

#: List name -> (model, fields of each item).
LISTS: dict[str, tuple[type, tuple[str, ...]]] = {
    "qualifications": (
        Qualification,
        ("type", "number", "issuer", "level", "valid_from", "valid_until", "document"),
    ),
    "products": (Product, ("name", "description")),
    "technologies": (Technology, ("name", "description")),
    "patents": (Patent, ("number", "title", "is_defense", "granted_on")),
    "cases": (Case, ("title", "client", "year", "description")),
    "contacts": (Contact, ("name", "job_title", "phone", "email")),
}

_DATE_FIELDS = {"founded_on", "valid_from", "valid_until", "granted_on"}
_FK_FIELDS = {"region", "type"}


def _to_json(name: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # "500", "123.5": never "5E+2"
    if name == "document":
        return value.name or ""
    return value


def _from_json(name: str, value: Any) -> Any:
    if name in _DATE_FIELDS:
        return date.fromisoformat(value) if value else None
    if name == "registered_capital":
        return Decimal(value) if value not in (None, "") else None
    return value


def _default_for(name: str) -> Any:
    if name == "capability_tags":
        return []
    return None if name in _DATE_FIELDS or name == "registered_capital" else ""


def snapshot(enterprise: Enterprise) -> dict[str, Any]:
    """The live profile as JSON: what a new working copy starts from."""
    data: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        if name == "industries":
            data[name] = sorted(enterprise.industries.values_list("code", flat=True))
        elif name in _FK_FIELDS:
            data[name] = getattr(enterprise, f"{name}_id")
        else:
            data[name] = _to_json(name, getattr(enterprise, name))
    for list_name, (_model, fields) in LISTS.items():
        items = getattr(enterprise, list_name).all()
        data[list_name] = [
            {
                field: getattr(item, f"{field}_id")
                if field in _FK_FIELDS
                else _to_json(field, getattr(item, field))
                for field in fields
            }
            for item in items
        ]
    return data


def empty_snapshot(**profile: Any) -> dict[str, Any]:
    """A snapshot of a profile not written yet (the sign-up wizard starts here)."""
    data: dict[str, Any] = {name: None for name in PROFILE_FIELDS}
    data.update({"industries": [], "capability_tags": [], **profile})
    for text in ("short_name", "legal_representative", "staff_size", "ownership", "address"):
        data[text] = data[text] or ""
    for text in ("website", "description", "capabilities"):
        data[text] = data[text] or ""
    data.update({list_name: [] for list_name in LISTS})
    return data


@transaction.atomic
def apply_snapshot(enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """Make the live rows equal to ``data``: profile fields, industries and every list.

    Lists are replaced wholesale (delete, then bulk create): a snapshot has no item ids, and a
    reviewer approves the profile as a whole.
    """
    for name in PROFILE_FIELDS:
        if name == "industries":
            continue
        if name in _FK_FIELDS:
            setattr(enterprise, f"{name}_id", data.get(name))
        else:
            default = (
                [] if name == "capability_tags" else ("" if name not in _DATE_FIELDS else None)
            )
            value = data.get(name, default)
            if value is None and name not in _DATE_FIELDS and name != "registered_capital":
                value = default
            setattr(enterprise, name, _from_json(name, value))
    enterprise.save()
    enterprise.industries.set(data.get("industries") or [])
    for list_name, (model, fields) in LISTS.items():
        model.objects.filter(enterprise=enterprise).delete()
        model.objects.bulk_create(
            model(
                enterprise=enterprise,
                **{
                    (f"{field}_id" if field in _FK_FIELDS else field): _from_json(
                        field, item.get(field)
                    )
                    for field in fields
                    if field in item
                },
                **({"position": position} if list_name != "qualifications" else {}),
            )
            for position, item in enumerate(data.get(list_name) or [])
        )
    return enterprise
