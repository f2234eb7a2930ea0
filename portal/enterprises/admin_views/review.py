"""The review page of one profile: what changed, the whole submitted profile, and the decision.

GET shows the field-by-field diff between the submitted version and the last approved content
(a first submission shows everything as new), the full submitted snapshot and the version
history. POST carries one ``action`` — approve, return or revoke — which is handed to
``workflow``; a refused decision (no reason, nothing to decide) re-renders the page with the
message and loses nothing the reviewer typed.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from classification import policy

from .. import workflow
from ..diff import diff_snapshots
from ..models import Enterprise, EnterpriseVersion, Status, VersionState
from ..snapshots import snapshot
from .access import ReviewerRequiredMixin
from .display import Labeller, diff_rows, snapshot_rows
from .files import live_scans, pending_claims, submitted_scans
from .links import classification_url
from .queue import submission_kind

logger = logging.getLogger(__name__)


class ReasonForm(forms.Form):
    """Reasons for returning or revoking: required, because the owner must know what to fix."""

    reason = forms.CharField(
        label=gettext_lazy("Reasons (sent to the owners)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": gettext_lazy("Please give the reasons.")},
    )


def approved_baseline(enterprise: Enterprise) -> dict[str, Any] | None:
    """What a submitted version is compared with: the last approved version, else the live
    rows of a profile that was approved without versions (imported), else nothing."""
    approved = workflow.last_approved_version(enterprise)
    if approved is not None:
        return approved.data
    if enterprise.status == Status.APPROVED or enterprise.approved_at:
        return snapshot(enterprise)
    return None


class ReviewView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "enterprises/admin/review.html"
    header_icon = "tasks"
    actions = ("approve", "return", "revoke")

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.return_form = ReasonForm(prefix="return")
        self.revoke_form = ReasonForm(prefix="revoke")

    def get_page_title(self) -> str:
        return self.enterprise.name

    def get_page_subtitle(self) -> str:
        return self.enterprise.uscc

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("enterprises_review:queue"), "label": _("Enterprise review")},
            {"url": "", "label": self.enterprise.name},
        ]

    def _load(self, pk: int) -> None:
        self.enterprise = policy.get_visible_or_404(
            Enterprise.objects.select_related("region", "region__parent"), self.request.user, pk=pk
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._load(pk)
        return self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._load(pk)
        action = request.POST.get("action")
        if action not in self.actions:
            messages.error(request, _("Unknown action."))
            return redirect(request.path)
        form = None
        if action != "approve":
            form = ReasonForm(request.POST, prefix=action)
            setattr(self, f"{action}_form", form)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(), status=400)
        try:
            return self._decide(action, form.cleaned_data["reason"] if form else "")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except DatabaseError:
            logger.exception("approving enterprise %s failed", self.enterprise.pk)
            messages.error(
                request,
                _("The profile could not be saved; nothing was changed. Please return it."),
            )
        return self.render_to_response(self.get_context_data(), status=400)

    def _decide(self, action: str, reason: str) -> HttpResponse:
        name = self.enterprise.name
        if action == "approve":
            workflow.approve(self.request.user, self.enterprise)
            messages.success(self.request, _("%(name)s was approved.") % {"name": name})
            return redirect("enterprises_review:queue")
        if action == "return":
            workflow.return_for_changes(self.request.user, self.enterprise, reason)
            messages.success(
                self.request, _("%(name)s was returned to its owners.") % {"name": name}
            )
            return redirect("enterprises_review:queue")
        workflow.revoke(self.request.user, self.enterprise, reason)
        messages.success(self.request, _("The approval of %(name)s was revoked.") % {"name": name})
        return redirect(self.request.path)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        enterprise = self.enterprise
        version = workflow.open_version(enterprise)
        submitted = version if version and version.state == VersionState.SUBMITTED else None
        baseline = approved_baseline(enterprise) if submitted else None
        shown = submitted.data if submitted else snapshot(enterprise)
        labeller = Labeller(shown, baseline)
        profile_rows, profile_tables = snapshot_rows(shown, labeller)
        context.update(
            enterprise=enterprise,
            submitted=submitted,
            kind=submission_kind(submitted) if submitted else "",
            is_first_submission=submitted is not None and baseline is None,
            profile_rows=profile_rows,
            profile_tables=profile_tables,
            return_form=self.return_form,
            revoke_form=self.revoke_form,
            can_revoke=enterprise.status == Status.APPROVED,
            owners=list(enterprise.owners.order_by("username")),
            history=EnterpriseVersion.objects.filter(enterprise=enterprise)
            .exclude(state=VersionState.DRAFT)
            .select_related("decided_by")[:20],
            classification_url=classification_url(enterprise.pk),
            scans=(
                submitted_scans(enterprise, shown, labeller)
                if submitted
                else live_scans(enterprise, labeller)
            ),
            claims=pending_claims(enterprise),
        )
        if submitted:
            changed_fields, changed_tables = diff_rows(
                diff_snapshots(baseline, submitted.data), labeller
            )
            context.update(changed_fields=changed_fields, changed_tables=changed_tables)
        return context
