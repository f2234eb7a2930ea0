"""The "统计监测" item in the Wagtail admin menu, shown to those who may read the statistics.

The dashboard itself is a staff page at /statistics/ (not an admin view), so that it answers
404 to everyone else, signed in or not, like every other restricted surface.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .access import can_view_statistics


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_view_statistics(request.user)


@hooks.register("register_admin_menu_item")
def register_statistics_menu() -> MenuItem:
    return StatisticsMenuItem(
        _("Statistics monitoring"),
        reverse("statistics:dashboard"),
        name="statistics",
        icon_name="table",
        order=280,
    )
