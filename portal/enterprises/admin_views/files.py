"""The files a reviewer opens beside the review page: the scanned certificates of the profile
shown, and the letters of authorisation (授权委托书) of its pending claims.

Each link goes to a view of ``views.documents``, which asks the release policy and audits the
download; this module only says which files exist and where they open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from ..models import ClaimState, Enterprise, EnterpriseClaim
from .display import Labeller


@dataclass(frozen=True)
class Scan:
    """One scanned certificate: what it certifies and where it opens."""

    label: str
    url: str


def submitted_scans(enterprise: Enterprise, data: dict[str, Any], labeller: Labeller) -> list[Scan]:
    """The certificates of the version under review, by their place in its list."""
    return [
        Scan(
            _scan_label(labeller, item),
            reverse("enterprises:draft_document", args=[enterprise.pk, index]),
        )
        for index, item in enumerate(data.get("qualifications") or [])
        if item.get("document")
    ]


def live_scans(enterprise: Enterprise, labeller: Labeller) -> list[Scan]:
    """The certificates of the live profile."""
    return [
        Scan(
            _scan_label(labeller, {"type": row.type_id, "number": row.number}),
            reverse("enterprises:qualification_document", args=[enterprise.pk, row.pk]),
        )
        for row in enterprise.qualifications.exclude(document="").order_by("pk")
    ]


def _scan_label(labeller: Labeller, item: dict[str, Any]) -> str:
    name = labeller.value("type", item.get("type"))
    number = item.get("number") or ""
    return f"{name} {number}".strip()


def pending_claims(enterprise: Enterprise) -> list[EnterpriseClaim]:
    """The profile's pending claims, oldest first, each with ``letter_url`` when it has one."""
    claims = list(
        EnterpriseClaim.objects.filter(enterprise=enterprise, state=ClaimState.PENDING)
        .select_related("claimant")
        .order_by("created_at")
    )
    for claim in claims:
        claim.letter_url = letter_url(claim)
    return claims


def letter_url(claim: EnterpriseClaim) -> str:
    """Where a claim's letter opens ("" without one)."""
    return reverse("enterprises:claim_letter", args=[claim.pk]) if claim.document else ""
