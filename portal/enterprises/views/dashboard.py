"""The owner's dashboard: their profiles, each with its state and what to do next."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import confirmation
from ..models import Enterprise, EnterpriseVersion, Status, VersionState


@dataclass
class Row:
    """One profile as the owner sees it: live state, open version and the last decision."""

    enterprise: Enterprise
    open_version: EnterpriseVersion | None
    last_decision: EnterpriseVersion | None

    @property
    def draft_name(self) -> str:
        return (self.open_version.data.get("name") if self.open_version else "") or ""

    @property
    def under_review(self) -> bool:
        return self.open_version is not None and self.open_version.state == VersionState.SUBMITTED

    @property
    def has_draft(self) -> bool:
        return self.open_version is not None and self.open_version.state == VersionState.DRAFT

    @property
    def return_reason(self) -> str:
        """The reviewer's reasons when the latest decision was a return (what to fix)."""
        decision = self.last_decision
        return decision.reason if decision and decision.state == VersionState.RETURNED else ""

    @property
    def is_approved(self) -> bool:
        return self.enterprise.status == Status.APPROVED

    @property
    def confirmation(self) -> str:
        """ "confirmed", "due" or "overdue": the yearly confirmation (年度信息确认)."""
        return confirmation.state(self.enterprise)

    @property
    def confirmation_due(self):
        return confirmation.due_on(self.enterprise)

    @property
    def editable(self) -> bool:
        return not self.under_review and self.enterprise.status != Status.REVOKED


def rows_for(user) -> list[Row]:
    enterprises = (
        Enterprise.objects.filter(group__user=user)
        .select_related("region__parent")
        .prefetch_related("versions")
    )
    rows = []
    for enterprise in enterprises.order_by("name"):
        versions = list(enterprise.versions.all())  # newest first (Meta.ordering)
        open_version = next(
            (v for v in versions if v.state in (VersionState.DRAFT, VersionState.SUBMITTED)), None
        )
        decided = next(
            (v for v in versions if v.state in (VersionState.APPROVED, VersionState.RETURNED)),
            None,
        )
        rows.append(Row(enterprise, open_version, decided))
    return rows


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "enterprises/dashboard.html", {"rows": rows_for(request.user)})
