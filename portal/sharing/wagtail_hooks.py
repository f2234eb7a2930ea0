"""The data-sharing clients' pages in the Wagtail admin, in the menu for administrators."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def register_sharing_urls() -> list:
    return [path("sharing/", include(admin_views.urlpatterns))]


@hooks.register("register_admin_menu_item")
def register_sharing_menu() -> MenuItem:
    return AdministratorMenuItem(
        _("Data sharing"), reverse("sharing_clients"), icon_name="link", order=900
    )
