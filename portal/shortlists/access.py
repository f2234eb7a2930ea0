"""Who may see, edit and manage a shortlist: the one place that decides it.

- The owner does everything: rename, delete, share, add and remove suppliers, edit notes.
- Members of a group the owner shared the list with see it (``view``); with a ``change`` share
  they also add and remove suppliers and edit notes (co-editors). Only the owner renames,
  deletes and shares.
- Everyone else gets 404, never 403: a private list's existence is not confirmed. Superusers
  are not an exception; a shortlist is a person's working file, not a released item.
- Procurement officers and staff create shortlists.

The shares themselves live in django-guardian, kept by ``classification.sharing``; views and
exports call only this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from classification import sharing
from portal.accounts import roles

from .models import Shortlist


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_create(user) -> bool:
    """Procurement officers and staff build shortlists (``docs/roles.md``)."""
    if not _signed_in(user):
        return False
    return bool(user.is_staff or user.is_superuser or roles.PROCUREMENT in roles.role_names(user))


def visible(user) -> QuerySet[Shortlist]:
    """The shortlists ``user`` may open: their own and those shared with their groups."""
    if not _signed_in(user):
        return Shortlist.objects.none()
    return Shortlist.objects.filter(
        Q(owner=user) | Q(pk__in=sharing.shared_ids(Shortlist, user, sharing.VIEW))
    )


def editable(user) -> QuerySet[Shortlist]:
    """The shortlists whose entries ``user`` may change: their own and co-edited ones."""
    if not _signed_in(user):
        return Shortlist.objects.none()
    return Shortlist.objects.filter(
        Q(owner=user) | Q(pk__in=sharing.shared_ids(Shortlist, user, sharing.CHANGE))
    )


@dataclass(frozen=True)
class Access:
    """What one user may do with one shortlist they can see."""

    view: bool = True
    edit: bool = False
    manage: bool = False  # rename, delete, share: the owner only


def access_for(user, shortlist: Shortlist) -> Access | None:
    """``user``'s access to ``shortlist``, or None when they may not see it at all."""
    if not _signed_in(user):
        return None
    if shortlist.owner_id == user.pk:
        return Access(view=True, edit=True, manage=True)
    level = sharing.level_for(user, shortlist)
    if level is None:
        return None
    return Access(view=True, edit=level == sharing.CHANGE)


def get_or_404(user, pk, need: str = "view") -> tuple[Shortlist, Access]:
    """The shortlist ``pk`` with ``user``'s access, requiring ``need`` (view, edit, manage).

    Unknown or not shared: 404. Seen but not allowed to do ``need``: 403, since the user
    already knows the list exists and should be told why the action is refused.
    """
    try:
        shortlist = Shortlist.objects.select_related("owner").get(pk=pk)
    except (Shortlist.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such shortlist.") from error
    access = access_for(user, shortlist)
    if access is None:
        raise Http404("No such shortlist.")
    if not getattr(access, need):
        raise PermissionDenied("You may not change this shortlist.")
    return shortlist, access


def share_targets(user) -> QuerySet[Group]:
    """Groups the owner may share with: the groups they belong to (staff: any group)."""
    if not _signed_in(user):
        return Group.objects.none()
    if user.is_staff or user.is_superuser:
        return Group.objects.order_by("name")
    return user.groups.order_by("name")
