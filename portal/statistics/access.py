"""Who may read the statistics: staff, reviewers, classification officers, superusers.

Everyone else gets 404 (never 403), as for any item they may not see: the dashboard, its CSV
exports and its API answer as if they did not exist. Views declare the rule with
``StatisticsAccessMixin`` or ``statistics_required`` instead of checking inline.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404

from portal.accounts.roles import CLASSIFICATION_OFFICER, REVIEWER, role_names

ROLES = frozenset({REVIEWER, CLASSIFICATION_OFFICER})


def can_view_statistics(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.is_staff or role_names(user) & ROLES)


def statistics_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_view_statistics(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper
