"""Reading the owner's working copy without creating one.

A GET must not write: the wizard shows what ``workflow.working_copy`` *would* start from, and
only a valid POST (through ``workflow.save_draft``) creates the draft version.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from ..models import Enterprise, VersionState
from ..snapshots import snapshot
from ..workflow import is_owner, open_version


def owned_enterprise_or_404(request: HttpRequest, pk: int) -> Enterprise:
    """The enterprise if the user owns it; 404 otherwise (its existence is not confirmed)."""
    enterprise = Enterprise.objects.select_related("region").filter(pk=pk).first()
    if enterprise is None or not is_owner(request.user, enterprise):
        raise Http404("No such enterprise.")
    return enterprise


def editable_data(enterprise: Enterprise) -> tuple[dict[str, Any], bool]:
    """(the content the owner edits, whether it is locked because it is under review)."""
    current = open_version(enterprise)
    if current is not None:
        return current.data, current.state == VersionState.SUBMITTED
    latest = enterprise.versions.first()
    if latest is not None and latest.state == VersionState.RETURNED:
        return latest.data, False
    return snapshot(enterprise), False
