"""The suppliers of a shortlist as one reader may read them: the rows every surface renders.

The page, the Excel file and the PDF all take their rows from here, so they agree: each
enterprise goes through the release policy *for the reader at that moment* (a supplier that
was visible when it was added may have been revoked or re-tiered since, or the reader may be a
group member with a lower clearance than the owner), and each row's fields through
``classification.redaction``. Suppliers the reader may not see are counted, never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from classification import policy
from classification.redaction import redact
from portal.enterprises.models import Enterprise, Qualification
from portal.enterprises.presentation import validity

from .models import Shortlist, ShortlistEntry

#: The supplier fields a shortlist shows, in column order. Keys are the enterprise's field
#: names, so that per-field tiers (declared or per item) apply to them.
FIELDS = ("name", "uscc", "region", "industries", "qualifications", "contacts")


@dataclass
class SupplierRow:
    """One entry as the reader may see it. ``data`` holds only readable fields."""

    entry: ShortlistEntry
    data: dict[str, Any]
    redacted: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return self.entry.note

    @property
    def hidden(self) -> dict[str, bool]:
        """``{field: True}`` for each redacted field, for templates (``row.hidden.contacts``)."""
        return dict.fromkeys(self.redacted, True)


@dataclass
class Suppliers:
    rows: list[SupplierRow]
    omitted: int


def visible_entries(user, shortlist: Shortlist) -> QuerySet[ShortlistEntry]:
    """The entries whose supplier ``user`` may see now (one SQL filter from the policy)."""
    readable = policy.visible(Enterprise.objects.all(), user).values("pk")
    return shortlist.entries.filter(enterprise_id__in=readable).order_by("added_at", "pk")


def _qualifications(enterprise: Enterprise, today) -> list[dict[str, Any]]:
    items = []
    for q in enterprise.qualifications.all():
        state, label = validity(q.valid_from, q.valid_until, today)
        items.append(
            {
                "type": q.type.name,
                "level": q.level,
                "number": q.number,
                "valid_until": q.valid_until,
                "state": state,
                "state_label": label,
            }
        )
    return items


def supplier_data(enterprise: Enterprise) -> dict[str, Any]:
    """The unredacted fields of ``FIELDS`` (prefetched: see ``rows``)."""
    today = timezone.localdate()
    return {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "region": enterprise.region.full_name,
        "industries": [industry.name for industry in enterprise.industries.all()],
        "qualifications": _qualifications(enterprise, today),
        "contacts": [
            {"name": c.name, "job_title": c.job_title, "phone": c.phone, "email": c.email}
            for c in enterprise.contacts.all()
        ],
    }


def rows(user, entries) -> list[SupplierRow]:
    """``entries`` (already limited to visible suppliers) as redacted rows, in a fixed number
    of queries whatever their count."""
    entries = list(
        entries.select_related("enterprise__region__parent").prefetch_related(
            "enterprise__industries",
            "enterprise__contacts",
            Prefetch(
                "enterprise__qualifications",
                queryset=Qualification.objects.select_related("type").order_by(
                    "type__sort_order", "valid_until", "pk"
                ),
            ),
        )
    )
    result = []
    for entry in entries:
        data = redact(entry.enterprise, user, supplier_data(entry.enterprise))
        result.append(SupplierRow(entry=entry, data=data, redacted=data["redacted"]))
    return result


def suppliers(user, shortlist: Shortlist) -> Suppliers:
    """Every supplier of ``shortlist`` that ``user`` may read, and how many were left out."""
    entries = visible_entries(user, shortlist)
    found = rows(user, entries)
    return Suppliers(rows=found, omitted=shortlist.entries.count() - len(found))
