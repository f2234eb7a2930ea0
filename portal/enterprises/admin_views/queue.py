"""The review queue: versions waiting for a decision, oldest first, so nobody waits longest.

Each row says whether it is a first submission or a change to a profile that is already live,
because a change is reviewed against the approved version and a first submission as a whole.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import BaseListingView

from ..models import EnterpriseVersion, Status, VersionState
from .access import ReviewerRequiredMixin
from .display import UsccColumn
from .links import review_url


def submitted_versions() -> QuerySet[EnterpriseVersion]:
    """Every version waiting for review, with what the queue and the dashboard show."""
    approved_before = EnterpriseVersion.objects.filter(
        enterprise=OuterRef("enterprise"), state=VersionState.APPROVED
    )
    return (
        EnterpriseVersion.objects.filter(state=VersionState.SUBMITTED)
        .select_related("enterprise", "enterprise__region", "enterprise__region__parent")
        .annotate(approved_before=Exists(approved_before))
        .order_by("submitted_at", "pk")
    )


def submission_kind(version: EnterpriseVersion) -> str:
    """First submission, change to a live profile, or resubmission of a revoked one."""
    if version.enterprise.status == Status.APPROVED:
        return str(_("Change to an approved profile"))
    if getattr(version, "approved_before", False) or version.enterprise.approved_at:
        return str(_("Resubmission of a revoked profile"))
    return str(_("First submission"))


class ReviewQueueView(ReviewerRequiredMixin, BaseListingView):
    """企业审核: the versions waiting for a reviewer."""

    page_title = _("Enterprise review")
    header_icon = "tasks"
    paginate_by = 20
    index_url_name = "enterprises_review:queue"
    index_results_url_name = "enterprises_review:queue_results"
    verbose_name = _("submitted profile")
    verbose_name_plural = _("submitted profiles")
    columns = [
        TitleColumn(
            "name",
            label=_("Enterprise"),
            accessor="enterprise.name",
            get_url=lambda version: review_url(version.enterprise_id),
        ),
        UsccColumn("uscc", label=_("Unified social credit code"), accessor="enterprise.uscc"),
        Column("region", label=_("Region"), accessor="enterprise.region.full_name"),
        Column("kind", label=_("Kind"), accessor=submission_kind),
        DateColumn("submitted_at", label=_("Submitted at"), sort_key="submitted_at"),
    ]
    default_ordering = "submitted_at"

    def get_base_queryset(self) -> QuerySet[EnterpriseVersion]:
        return submitted_versions()
