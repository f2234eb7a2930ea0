"""Redaction: the fields of an item a user may read, as a plain dict for every renderer.

Templates, serializers, PDFs and e-mails render the dict this returns, so a hidden field is
never sent (not hidden by CSS) and every surface hides the same fields. ``redacted`` lists what
was left out, so that a page can say so and offer an access request (申请查看).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from . import policy


def redact(obj: Model, user, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` without the keys ``user`` may not read for ``obj``.

    A key's tier is the higher of the item's tier and the field's own (declared default or
    per-item override, ``obj.tier_of_field``). The result carries ``redacted``: the sorted
    dropped keys. The caller has already checked that ``user`` may see ``obj`` (``visible``).
    """
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in data.items():
        if key == "redacted":
            continue
        if policy.field_visible(user, obj, key):
            kept[key] = value
        else:
            dropped.append(key)
    kept["redacted"] = sorted(dropped)
    return kept


def redacted_fields(obj: Model, user, names) -> list[str]:
    """The names among ``names`` that ``user`` may not read for ``obj`` (for "申请查看")."""
    return sorted(name for name in names if not policy.field_visible(user, obj, name))
