"""Changes to shortlists, each in one transaction, after the access module said yes.

Views call these with objects they already fetched through ``access`` (and, for suppliers,
through the release policy), so that a rule is never checked in one place and skipped in
another. A refused change raises ``ShortlistError`` with a message for the user.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from classification import policy, sharing
from portal.core.storage import private_storage
from portal.enterprises.models import Enterprise

from .models import MAX_ENTRIES, Shortlist, ShortlistEntry


class ShortlistError(Exception):
    """A change refused for a reason the user can act on."""


def create(owner, name: str, description: str = "") -> Shortlist:
    """A new shortlist of ``owner`` (the caller checked ``access.can_create``)."""
    try:
        with transaction.atomic():
            return Shortlist.objects.create(owner=owner, name=name, description=description)
    except IntegrityError as error:
        raise ShortlistError(_("You already have a shortlist with this name.")) from error


def add(user, shortlist: Shortlist, enterprise: Enterprise, note: str = "") -> ShortlistEntry:
    """Put ``enterprise`` on ``shortlist``; refuses suppliers the user may not see (as if
    unknown), duplicates and a full list."""
    if not policy.can_view(user, enterprise):
        raise ShortlistError(_("No such supplier."))
    with transaction.atomic():
        locked = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
        if locked.entries.filter(enterprise=enterprise).exists():
            raise ShortlistError(
                _("%(name)s is already on %(list)s.") % {"name": enterprise, "list": locked}
            )
        if locked.entries.count() >= MAX_ENTRIES:
            raise ShortlistError(
                _("A shortlist holds at most %(max)d suppliers.") % {"max": MAX_ENTRIES}
            )
        entry = ShortlistEntry.objects.create(
            shortlist=locked, enterprise=enterprise, note=note.strip(), added_by=user
        )
        locked.touch()
    return entry


def set_note(entry: ShortlistEntry, note: str) -> None:
    with transaction.atomic():
        entry.note = note.strip()
        entry.save(update_fields=["note"])
        entry.shortlist.touch()


def remove(entry: ShortlistEntry) -> None:
    with transaction.atomic():
        shortlist = entry.shortlist
        entry.delete()
        shortlist.touch()


def delete(shortlist: Shortlist) -> None:
    """Delete the list, its entries and its shares (guardian's rows have no foreign key), and
    after the commit the exported files (private storage; the rows go with the list)."""
    with transaction.atomic():
        names = [name for name in shortlist.exports.values_list("file", flat=True) if name]
        sharing.forget(shortlist)
        shortlist.delete()
        transaction.on_commit(lambda: [private_storage().delete(name) for name in names])


def share(shortlist: Shortlist, group: Group, level: str) -> None:
    with transaction.atomic():
        sharing.share(shortlist, group, level)
        shortlist.touch()


def unshare(shortlist: Shortlist, group: Group) -> None:
    with transaction.atomic():
        sharing.unshare(shortlist, group)
        shortlist.touch()
