"""Merge what a row states into a profile snapshot, keeping what the file does not say.

The file carries names only for products and technologies and type:number:date for
qualifications; descriptions, issuers, valid-from dates, scanned certificates, patents, cases and
further contacts live only in the registry. Matching items by name (or type and number) keeps
them, which is what makes export -> import a no-op and a corrected agency list safe to re-run.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from ..fields import PROFILE_FIELDS
from ..reference.aliases import load_qualification_types
from ..snapshots import empty_snapshot

_PLAIN = [name for name in PROFILE_FIELDS if name != "uscc"]


def _sort_order() -> dict[str, int]:
    return {q["code"]: index for index, q in enumerate(load_qualification_types())}


def merge(
    current: dict[str, Any] | None, values: dict[str, Any]
) -> tuple[dict, list[tuple[str, str]]]:
    """The new snapshot and the problems found while merging, as (column key, message)."""
    data = json.loads(json.dumps(current)) if current else empty_snapshot()
    problems: list[tuple[str, str]] = []
    data["uscc"] = values["uscc"]
    for name in _PLAIN:
        if name in values:
            data[name] = values[name]
    for name in ("products", "technologies"):
        if name in values:
            data[name] = _merge_named(data.get(name) or [], values[name])
    if "qualifications" in values:
        data["qualifications"], bad = _merge_qualifications(
            data.get("qualifications") or [], values["qualifications"]
        )
        problems += [("qualifications", message) for message in bad]
    if {"contact_name", "contact_phone", "contact_email"} & values.keys():
        problems += [("contact_name", message) for message in _merge_contact(data, values)]
    return data, problems


def _merge_named(existing: list[dict], names: list[str]) -> list[dict]:
    descriptions: dict[str, str] = {}
    for item in existing:
        descriptions.setdefault(item["name"], item.get("description", ""))
    return [{"name": name, "description": descriptions.get(name, "")} for name in names]


def _merge_qualifications(existing: list[dict], stated: list[dict]) -> tuple[list[dict], list]:
    by_key: dict[tuple[str, str], dict] = {}
    for item in existing:
        by_key.setdefault((item["type"], item.get("number", "")), item)
    merged, problems = [], []
    for item in stated:
        old = by_key.get((item["type"], item["number"]), {})
        valid_from = old.get("valid_from")
        new = {
            "type": item["type"],
            "number": item["number"],
            "issuer": old.get("issuer", ""),
            "level": item["level"] or old.get("level", ""),
            "valid_from": valid_from,
            "valid_until": item["valid_until"],
            "document": old.get("document", ""),
        }
        if valid_from and item["valid_until"] and item["valid_until"] < valid_from:
            problems.append(
                _("%(number)s: valid until %(until)s is before it was issued (%(start)s).")
                % {
                    "number": item["number"] or item["type"],
                    "until": item["valid_until"],
                    "start": valid_from,
                }
            )
        merged.append(new)
    order = _sort_order()
    # The order the database returns them in (Qualification.Meta.ordering), so that a snapshot
    # of the written rows equals this one and the reviewer's diff shows no false change.
    merged.sort(
        key=lambda q: (order.get(q["type"], 99), q["valid_until"] is None, q["valid_until"] or "")
    )
    return merged, problems


def _merge_contact(data: dict[str, Any], values: dict[str, Any]) -> list[str]:
    contacts = list(data.get("contacts") or [])
    blank = {"name": "", "job_title": "", "phone": "", "email": ""}
    first = dict(contacts[0]) if contacts else blank
    if "contact_name" in values and values["contact_name"] != first["name"]:
        first["job_title"] = ""  # another person: the old job title is not theirs
    for key, field in (
        ("contact_name", "name"),
        ("contact_phone", "phone"),
        ("contact_email", "email"),
    ):
        if key in values:
            first[field] = values[key]
    if not first["name"]:
        if first["phone"] or first["email"]:
            return [_("A phone number or e-mail needs a contact person.")]
        data["contacts"] = contacts[1:]
        return []
    data["contacts"] = [first, *contacts[1:]]
    return []


def canonical(data: dict[str, Any]) -> str:
    """A comparable form: qualifications as a set (ties in the database order are arbitrary)."""
    copy = dict(data)
    copy["qualifications"] = sorted(
        json.dumps(item, sort_keys=True) for item in data.get("qualifications") or []
    )
    return json.dumps(copy, sort_keys=True, ensure_ascii=False)
