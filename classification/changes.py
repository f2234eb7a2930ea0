"""Changes of release: an item's tier and field tiers, and its targeted grants.

This module is the one writer of release settings: the officers' release page, the release API
and the workflow's classification step (定密审核) all call it. Only classification officers
(and superusers) make changes; each one is written to the access log in the same transaction,
and ``access_changed`` is sent inside that transaction too, so that receivers (the search
outbox) write in step with the change; receivers that reach outside the database defer their
work with ``transaction.on_commit``.

A grant is a django-guardian object permission ``<app>.view_targeted`` in the model's direct
user or group table, with an expiry, who granted it and why. A grant to an enterprise is a
grant to the group of its owners, so ownership changes count at once.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, policy
from .declaration import BODY
from .signals import access_changed
from .tiers import ORDER, rank


def _require_officer(officer) -> None:
    if not policy.is_officer(officer):
        raise PermissionDenied(_("Only classification officers may change release settings."))


def _announce(model, object_ids: list[int]) -> None:
    access_changed.send(sender=model, object_ids=object_ids)


def _check_tier(value, field: str) -> str:
    if value not in ORDER:
        raise ValidationError({field: _("Unknown release tier: %(tier)s") % {"tier": value}})
    return value


def set_tier(
    officer, obj: Model, tier: str, field_tiers: dict[str, str] | None = None, request=None
):
    """Set ``obj``'s tier and, when given, its per-item field tiers (replacing the old ones).

    Field names must be declared sensitive fields or fields of the model; a field tier equal
    to the declared default is not stored, so that changing a default later reaches the item.
    A body tier (items with a stub) is stored only above the item's tier: equal, there is no
    stub; below, it would claim a release the item's tier does not give, and is refused.
    """
    _require_officer(officer)
    _check_tier(tier, "tier")
    model = type(obj)
    decl = policy.declaration(model)
    cleaned: dict[str, str] | None = None
    if field_tiers is not None:
        known = set(decl.sensitive_names()) | {f.name for f in model._meta.get_fields()}
        cleaned = {}
        for name, value in field_tiers.items():
            if name not in known:
                raise ValidationError(
                    {"field_tiers": _("Unknown field: %(name)s") % {"name": name}}
                )
            if not value:
                continue
            _check_tier(value, "field_tiers")
            if name == BODY and decl.stub:
                if rank(value) < rank(tier):
                    raise ValidationError(
                        {"field_tiers": _("The body cannot be released wider than the item.")}
                    )
                if value == tier:
                    continue
            if decl.field_tiers.get(name) != value:
                cleaned[name] = value
    with transaction.atomic():
        row = model._default_manager.select_for_update().filter(pk=obj.pk)
        old = row.values("tier", "field_tiers").get()
        old["field_tiers"] = dict(old["field_tiers"] or {})
        new = {"tier": tier, "field_tiers": old["field_tiers"] if cleaned is None else cleaned}
        obj.tier, obj.field_tiers = new["tier"], new["field_tiers"]
        if new == old:
            return obj
        row.update(**new)
        audit.record(officer, obj, "classification.tier.changed", request, {"from": old, "to": new})
        _announce(model, [obj.pk])
    return obj


def _principal(principal) -> tuple[str, Model]:
    """("user", user) or ("group", group) for a grant to ``principal``; an enterprise is
    granted through the group of its owners."""
    from django.contrib.auth import get_user_model

    if isinstance(principal, get_user_model()):
        return "user", principal
    if isinstance(principal, Group):
        return "group", principal
    decl = getattr(type(principal), "classification", None)
    if decl is not None and decl.owner_group:
        return "group", principal.owner_group()
    raise TypeError(f"Cannot grant to {principal!r}: a user, a group or an enterprise only")


def _table(model, kind: str):
    user_table, group_table = policy.grant_tables(model)
    return user_table if kind == "user" else group_table


def grants_of(obj: Model) -> list:
    """Every grant of ``obj`` (expired ones too, until ``expire`` removes them), newest first."""
    user_table, group_table = policy.grant_tables(type(obj))
    rows = [
        *user_table.objects.filter(content_object_id=obj.pk).select_related("user", "granted_by"),
        *group_table.objects.filter(content_object_id=obj.pk).select_related(
            "group", "group__enterprise", "granted_by"
        ),
    ]
    return sorted(rows, key=lambda row: row.created_at, reverse=True)


def principal_label(row) -> str:
    """The principal of a grant row as the index names it: u:<id> or g:<id>."""
    return f"u:{row.user_id}" if hasattr(row, "user_id") else f"g:{row.group_id}"


def find_grant(obj: Model, label: str):
    """The grant of ``obj`` to the principal ``label`` (``u:<id>``, ``g:<id>``), or None."""
    return next((row for row in grants_of(obj) if principal_label(row) == label), None)


def grant(
    officer,
    obj: Model,
    principal,
    valid_until: datetime | None = None,
    request=None,
    reason: str = "",
):
    """Grant ``principal`` (user, group or enterprise) targeted access to ``obj``.

    Granting again updates the expiry. An expiry in the past is refused: it would be no grant.
    """
    _require_officer(officer)
    policy.declaration(type(obj))
    if valid_until is not None and valid_until <= timezone.now():
        raise ValidationError({"valid_until": _("The expiry must be in the future.")})
    with transaction.atomic():
        kind, who = _principal(principal)
        row, created = _table(type(obj), kind).objects.update_or_create(
            content_object=obj,
            permission=policy.targeted_permission(type(obj)),
            **{kind: who},
            defaults={"valid_until": valid_until, "granted_by": officer, "reason": reason[:300]},
        )
        audit.record(
            officer,
            obj,
            "classification.grant.created" if created else "classification.grant.updated",
            request,
            {
                "principal": principal_label(row),
                "principal_name": str(principal),
                "valid_until": valid_until.isoformat() if valid_until else None,
            },
        )
        _announce(type(obj), [obj.pk])
    return row


def revoke_grant(officer, row, request=None) -> None:
    """Withdraw one grant at once."""
    _require_officer(officer)
    obj = row.content_object
    with transaction.atomic():
        principal = row.user if hasattr(row, "user_id") else row.group
        detail = {"principal": principal_label(row), "principal_name": str(principal)}
        row.delete()
        audit.record(officer, obj, "classification.grant.revoked", request, detail)
        _announce(type(obj), [obj.pk])


def expire(now: datetime | None = None) -> int:
    """Remove the grants whose expiry has passed: the policy already ignores them (it compares
    with the database's clock), guardian's own checker would not, and the search index drops
    their principals when the items are announced. Each removal is audited. Idempotent; run
    periodically (``classification.tasks``). Returns the number of grants removed."""
    now = now or timezone.now()
    removed = 0
    for model in policy.classified_models():
        for table in policy.grant_tables(model):
            with transaction.atomic():
                rows = list(
                    table.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(valid_until__lte=now)
                    .select_related("content_object")
                )
                for row in rows:
                    audit.record(
                        None,
                        row.content_object,
                        "classification.grant.expired",
                        None,
                        {
                            "principal": principal_label(row),
                            "valid_until": row.valid_until.isoformat(),
                        },
                    )
                table.objects.filter(pk__in=[row.pk for row in rows]).delete()
                removed += len(rows)
                if rows:
                    touched = sorted({row.content_object_id for row in rows})
                    access_changed.send(sender=model, object_ids=touched)
    return removed
