"""Graded release in the Wagtail admin: the classification officers' menu and pages.

Only classification officers and superusers see the menu; the pages answer 403 to other admin
users (``admin_views.officer_required``) and Wagtail sends people without admin access to login.
"""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views, policy, wagtail_admin, wagtail_policy


class OfficerMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return policy.is_officer(request.user)


class OfficerSubmenu(SubmenuMenuItem):
    def is_shown(self, request) -> bool:
        return policy.is_officer(request.user)


@hooks.register("register_admin_urls")
def register_classification_urls() -> list:
    return [path("classification/", include(admin_views.urlpatterns))]


@hooks.register("register_admin_menu_item")
def register_classification_menu() -> SubmenuMenuItem:
    menu = Menu(
        items=[
            OfficerMenuItem(
                _("Release settings"), reverse("classification_index"), icon_name="lock", order=100
            ),
            OfficerMenuItem(
                _("Access requests"),
                reverse("classification_requests"),
                icon_name="mail",
                order=200,
            ),
            OfficerMenuItem(
                _("Access log"), reverse("classification_log"), icon_name="history", order=300
            ),
        ]
    )
    return OfficerSubmenu(
        _("Graded release"), menu, name="classification", icon_name="lock", order=260
    )


@hooks.register("construct_homepage_panels")
def narrow_dashboard_panels(request, panels) -> None:
    wagtail_admin.filter_homepage_panels(request, panels)


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail's own items
def narrow_dashboard_counts(request, items) -> None:
    wagtail_admin.filter_summary_items(request, items)


@hooks.register("construct_reports_menu")
def officers_reports(request, menu_items) -> None:
    wagtail_admin.filter_reports_menu(request, menu_items)


@hooks.register("construct_page_chooser_queryset")
def chooser_hides_unseen_pages(pages, request):
    return wagtail_policy.without_hidden(pages, request.user)
