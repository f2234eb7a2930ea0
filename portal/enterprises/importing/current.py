"""Snapshots of many existing profiles at once, for comparing an import against them.

``snapshots.snapshot`` of a lone profile costs seven queries; a 10,000-row re-import would spend
most of its minute there. Here each chunk is one prefetching query per table, from whose caches
``snapshot`` builds the same JSON without further queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from ..fields import LIST_NAMES
from ..models import Enterprise
from ..snapshots import snapshot

CHUNK = 2000


@dataclass
class Existing:
    enterprise: Enterprise
    data: dict[str, Any]
    has_owners: bool


def load_existing(usccs: Iterable[str]) -> dict[str, Existing]:
    """USCC -> the live profile, its snapshot and whether someone owns it."""
    usccs = list(usccs)
    found: dict[str, Existing] = {}
    owners = get_user_model().objects.filter(groups=OuterRef("group_id"))
    for start in range(0, len(usccs), CHUNK):
        chunk = usccs[start : start + CHUNK]
        queryset = (
            Enterprise.objects.filter(uscc__in=chunk)
            .annotate(has_owners=Exists(owners))
            .prefetch_related("industries", *LIST_NAMES)
        )
        for enterprise in queryset:
            found[enterprise.uscc] = Existing(
                enterprise, snapshot(enterprise), enterprise.has_owners
            )
    return found
