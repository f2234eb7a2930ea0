"""A whole profile as plain JSON, and back.

Versions store snapshots; the reviewer's diff compares two snapshots; approving a version
applies its snapshot to the live rows; export and import read the same shape. The field lists
come from ``fields``: a field added to a model reaches none of those until it is declared there.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from search import indexing

from .fields import LIST_NAMES, LISTS_BY_NAME, PROFILE, PROFILE_FIELDS, ProfileList, profile_field
from .models import Enterprise

__all__ = [
    "LISTS",
    "PROFILE_FIELDS",
    "apply_snapshot",
    "empty_snapshot",
    "item_rows",
    "item_values",
    "set_profile_fields",
    "snapshot",
    "to_json",
]

#: List name -> its spec, in display order.
LISTS: dict[str, ProfileList] = LISTS_BY_NAME
#: Profile fields stored on the enterprise row itself (industries are a many-to-many).
ROW_FIELDS = tuple(spec for spec in PROFILE if spec.in_snapshot and spec.name != "industries")


def to_json(name: str, value: Any) -> Any:
    """A profile field's model value as snapshots store it."""
    return profile_field(name).to_json(value)


def snapshot(enterprise: Enterprise) -> dict[str, Any]:
    """The live profile as JSON: what a new working copy starts from.

    Reads related rows with ``.all()``, so that a queryset prefetching ``industries`` and the
    lists (import and export, thousands of profiles) builds the same JSON without queries.
    """
    data: dict[str, Any] = {}
    for spec in PROFILE:
        if not spec.in_snapshot:
            continue
        if spec.name == "industries":
            data[spec.name] = sorted(industry.pk for industry in enterprise.industries.all())
        else:
            data[spec.name] = spec.to_json(getattr(enterprise, spec.attname))
    for spec in LISTS.values():
        data[spec.name] = [
            {field.name: field.to_json(getattr(item, field.attname)) for field in spec.fields}
            for item in getattr(enterprise, spec.name).all()
        ]
    return data


def empty_snapshot(**profile: Any) -> dict[str, Any]:
    """A snapshot of a profile not written yet (the sign-up wizard starts here)."""
    data: dict[str, Any] = {spec.name: spec.empty() for spec in PROFILE if spec.in_snapshot}
    data.update({name: value for name, value in profile.items() if value is not None})
    data.update({name: [] for name in LIST_NAMES})
    return data


def set_profile_fields(enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """Set the row's own fields from ``data``; a missing or null text becomes its empty value."""
    for spec in ROW_FIELDS:
        value = data.get(spec.name)
        if value is None:
            value = spec.empty()
        setattr(enterprise, spec.attname, spec.from_json(value))
    return enterprise


def item_values(
    spec: ProfileList, enterprise_id: int, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A list's snapshot items as the attribute values of their rows, in their order."""
    rows = []
    for position, item in enumerate(items):
        values = {
            field.attname: field.from_json(item[field.name])
            for field in spec.fields
            if field.name in item
        }
        values["enterprise_id"] = enterprise_id
        if spec.positioned:
            values["position"] = position
        rows.append(values)
    return rows


def item_rows(spec: ProfileList, enterprise_id: int, items: list[dict[str, Any]]) -> list:
    """Unsaved model rows for a list's snapshot items, in their order."""
    model: type[models.Model] = spec.model
    return [model(**values) for values in item_values(spec, enterprise_id, items)]


@transaction.atomic
def apply_snapshot(enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """Make the live rows equal to ``data``: profile fields, industries and every list.

    Lists are replaced wholesale (delete, then bulk create): a snapshot has no item ids, and a
    reviewer approves the profile as a whole. The search outbox hears of it once.
    """
    with indexing.held():
        set_profile_fields(enterprise, data)
        enterprise.save()
        enterprise.industries.set(data.get("industries") or [])
        for spec in LISTS.values():
            spec.model.objects.filter(enterprise=enterprise).delete()
            spec.model.objects.bulk_create(
                item_rows(spec, enterprise.pk, data.get(spec.name) or [])
            )
    return enterprise
