"""Who may use the reviewers' admin pages: the same rule as the workflow's ``is_reviewer``.

Wagtail's own wrapper already sends anonymous users and users without admin access to the
login page; this mixin answers 403 to admin users who are not reviewers (editors, procurement
officers), as Wagtail's ``PermissionCheckedMixin`` does.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ..workflow import is_reviewer


class ReviewerRequiredMixin:
    """Declare on a view that only reviewers may open it."""

    def dispatch(self, request, *args, **kwargs):
        if not is_reviewer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
