"""The enterprise registry in the Wagtail admin: the reviewers' menu, pages and dashboard panel.

Reviewers (group ``reviewer``, superusers, or the ``enterprises.review_enterprise``
permission — ``workflow.is_reviewer``) see a "企业审核" menu with the review queue, all profiles,
import/export and claims; nobody else sees it, and the pages answer 403 to other admin users.
"""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from classification import policy
from classification.wagtail_policy import hidden_among, register_admin_object

from .admin_views import urls as review_urls
from .admin_views.queue import submitted_versions
from .importing.admin_views import admin_urls as import_admin_urls
from .importing.admin_views import pending_claims_for
from .models import Enterprise, EnterpriseClaim
from .workflow import is_reviewer


def _profile_hidden(user, pk) -> bool:
    profiles = Enterprise.objects.all()
    return hidden_among(profiles, policy.visible(profiles, user), [pk])


def _claim_hidden(user, pk) -> bool:
    claims = EnterpriseClaim.objects.all()
    shown = claims.filter(enterprise__in=policy.visible(Enterprise.objects.all(), user))
    return hidden_among(claims, shown, [pk])


# A profile the user may not see answers 404 on the reviewers' pages, reviewer or not.
register_admin_object("enterprises_review:pk", _profile_hidden)
register_admin_object("enterprises_claim_decide:pk", _claim_hidden)


class ReviewerMenuItem(MenuItem):
    """A menu item shown to reviewers only."""

    def is_shown(self, request) -> bool:
        return is_reviewer(request.user)


@hooks.register("register_admin_urls")
def register_review_urls() -> list:
    return [
        path("enterprises/review/", include(review_urls, namespace="enterprises_review")),
        *import_admin_urls(),
    ]


@hooks.register("register_admin_menu_item")
def register_review_menu() -> SubmenuMenuItem:
    menu = Menu(
        items=[
            ReviewerMenuItem(
                _("Review queue"), reverse("enterprises_review:queue"), icon_name="tasks", order=100
            ),
            ReviewerMenuItem(
                _("All enterprises"),
                reverse("enterprises_review:browse"),
                icon_name="list-ul",
                order=200,
            ),
            ReviewerMenuItem(
                _("Import and export"),
                reverse("enterprises_import"),
                icon_name="upload",
                order=300,
            ),
            ReviewerMenuItem(
                _("Profile claims"), reverse("enterprises_claims"), icon_name="user", order=400
            ),
        ]
    )
    return SubmenuMenuItem(
        _("Enterprise review"), menu, name="enterprise-review", icon_name="tasks", order=250
    )


class ReviewQueuePanel(Component):
    """Dashboard panel: how many profiles and claims wait for a reviewer, and since when."""

    name = "enterprise_review"
    template_name = "enterprises/admin/dashboard_panel.html"
    order = 90

    def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
        waiting = submitted_versions()
        oldest = waiting.values_list("submitted_at", flat=True).first()
        # Wagtail renders dashboard panels with the page's context, which holds the request.
        claims = pending_claims_for(parent_context["request"].user)
        return {
            "waiting": waiting.count(),
            "oldest": oldest,
            "claims": claims.count(),
            "oldest_claim": claims.values_list("created_at", flat=True).first(),
        }


@hooks.register("construct_homepage_panels")
def add_review_queue_panel(request, panels: list) -> None:
    if is_reviewer(request.user):
        panels.append(ReviewQueuePanel())
