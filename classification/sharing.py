"""Sharing private working items (shortlists) with groups, through django-guardian.

Private items are not released by tier: their owner sees them, and so do the groups the owner
shares them with, each share carrying Django's own ``view_<model>`` or also ``change_<model>``
permission as a guardian *group object permission*. Guardian stays inside this package (the
rest of the code asks here), and its generic tables are queried directly with the few columns
needed: guardian's ``get_objects_for_user`` would also honour global and superuser
permissions, which a private item must not: guardian's defaults reach further than a private
item's owner means to share. The model's own access module (e.g. ``portal.shortlists.access``)
combines this with ownership and decides; this module only keeps and reads the shares.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.db.models.functions import Cast
from guardian.models import GroupObjectPermission

from . import policy

#: Share levels, widest last: an editor also views.
VIEW = "view"
CHANGE = "change"
LEVELS = (VIEW, CHANGE)


def _codenames(model, level: str) -> list[str]:
    if level not in LEVELS:
        raise ValueError(f"Unknown share level: {level!r}")
    name = model._meta.model_name
    return [f"view_{name}"] if level == VIEW else [f"view_{name}", f"change_{name}"]


def _permissions(model, codenames: list[str]) -> list[Permission]:
    content_type = ContentType.objects.get_for_model(model)
    found = list(Permission.objects.filter(content_type=content_type, codename__in=codenames))
    if len(found) != len(codenames):  # pragma: no cover - migrations not run
        raise LookupError(f"Missing permissions {codenames} for {model.__name__}")
    return found


def _rows(obj: Model) -> QuerySet:
    return GroupObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk)
    )


def share(obj: Model, group: Group, level: str) -> None:
    """Share ``obj`` with ``group`` at ``level`` (replacing an earlier share with that group)."""
    wanted = _permissions(type(obj), _codenames(type(obj), level))
    with transaction.atomic():
        unshare(obj, group)
        GroupObjectPermission.objects.bulk_create(
            GroupObjectPermission(
                group=group,
                permission=permission,
                content_type_id=permission.content_type_id,
                object_pk=str(obj.pk),
            )
            for permission in wanted
        )


def unshare(obj: Model, group: Group) -> int:
    """Withdraw every permission ``group`` holds on ``obj``; returns how many rows went."""
    deleted, _ = _rows(obj).filter(group=group).delete()
    return deleted


def forget(obj: Model) -> None:
    """Drop every share of ``obj`` (before deleting it: guardian's rows have no foreign key)."""
    _rows(obj).delete()


def shares(obj: Model) -> list[tuple[Group, str]]:
    """``(group, level)`` of each share of ``obj``, by group name."""
    change = f"change_{type(obj)._meta.model_name}"
    codenames: dict[int, set[str]] = defaultdict(set)
    for group_id, codename in _rows(obj).values_list("group_id", "permission__codename"):
        codenames[group_id].add(codename)
    groups = Group.objects.filter(pk__in=codenames).order_by("name")
    return [(group, CHANGE if change in codenames[group.pk] else VIEW) for group in groups]


def shared_ids(model, user, level: str = VIEW) -> QuerySet:
    """A subquery of the ids of ``model`` items shared at ``level`` or wider with a group of
    ``user`` (integer ids, so that ``pk__in`` compares like with like)."""
    codename = _codenames(model, level)[-1]
    return (
        GroupObjectPermission.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            permission__codename=codename,
            group_id__in=policy.group_ids(user),
        )
        .annotate(item_id=Cast("object_pk", models.BigIntegerField()))
        .values("item_id")
    )


def level_for(user, obj: Model) -> str | None:
    """The widest level at which ``obj`` is shared with one of ``user``'s groups, or None."""
    groups = policy.group_ids(user)
    if not groups:
        return None
    change = f"change_{type(obj)._meta.model_name}"
    rows = _rows(obj).filter(group_id__in=groups)
    codenames = set(rows.values_list("permission__codename", flat=True))
    if change in codenames:
        return CHANGE
    return VIEW if codenames else None
