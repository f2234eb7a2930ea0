"""Changes of release: an item's tier and field tiers, and its targeted grants.

Only classification officers (and superusers) make them; each one is written to the access
log in the same transaction, and ``access_changed`` is sent inside that transaction too, so
that receivers (the search outbox) write in step with the change; receivers that reach outside
the database defer their work with ``transaction.on_commit``. ``Grant`` is the
source of truth; user and group grants are mirrored into django-guardian's object permission
``<app>.view_targeted`` so that guardian's checker and admin tell the same story. Enterprise
grants have no guardian counterpart (guardian knows users and groups only); the policy resolves
them to the enterprise's current owners at query time, so ownership changes count at once.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermission, UserObjectPermission

from . import audit, policy
from .models import Grant
from .signals import access_changed
from .tiers import ORDER

CODENAME = "view_targeted"


def targeted_permission(model) -> Permission:
    """The ``view_targeted`` permission of ``model``, created on first use for new models."""
    content_type = ContentType.objects.get_for_model(model)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": f"Can view targeted {model._meta.verbose_name_raw}"},
    )
    return permission


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
    """
    _require_officer(officer)
    _check_tier(tier, "tier")
    model = type(obj)
    decl = policy.declaration(model)
    old = {"tier": obj.tier, "field_tiers": dict(obj.field_tiers or {})}
    if field_tiers is not None:
        known = set(decl.field_tiers) | {f.name for f in model._meta.get_fields()}
        cleaned: dict[str, str] = {}
        for name, value in field_tiers.items():
            if name not in known:
                raise ValidationError(
                    {"field_tiers": _("Unknown field: %(name)s") % {"name": name}}
                )
            if not value:
                continue
            _check_tier(value, "field_tiers")
            if decl.field_tiers.get(name) != value:
                cleaned[name] = value
        obj.field_tiers = cleaned
    obj.tier = tier
    new = {"tier": obj.tier, "field_tiers": dict(obj.field_tiers or {})}
    if new == old:
        return obj
    with transaction.atomic():
        obj.save(update_fields=["tier", "field_tiers"])
        audit.record(officer, obj, "classification.tier.changed", request, {"from": old, "to": new})
        _announce(model, [obj.pk])
    return obj


def _principal_field(principal) -> str:
    from django.contrib.auth import get_user_model

    from portal.enterprises.models import Enterprise

    if isinstance(principal, get_user_model()):
        return "user"
    if isinstance(principal, Group):
        return "group"
    if isinstance(principal, Enterprise):
        return "enterprise"
    raise TypeError(f"Cannot grant to {principal!r}: a user, a group or an enterprise only")


def _mirror(grant: Grant, present: bool) -> None:
    """Keep guardian's object permission in step with one user or group grant."""
    if grant.enterprise_id:
        return
    model = grant.content_type.model_class()
    permission = targeted_permission(model)
    table, who = (
        (UserObjectPermission, {"user_id": grant.user_id})
        if grant.user_id
        else (GroupObjectPermission, {"group_id": grant.group_id})
    )
    key = dict(
        who, permission=permission, content_type=grant.content_type, object_pk=str(grant.object_id)
    )
    if present:
        table.objects.get_or_create(**key)
    else:
        table.objects.filter(**key).delete()


def grant(
    officer, obj: Model, principal, valid_until: datetime | None = None, request=None
) -> Grant:
    """Grant ``principal`` (user, group or enterprise) targeted access to ``obj``.

    Granting again updates the expiry. An expiry in the past is refused: it would be no grant.
    """
    _require_officer(officer)
    policy.declaration(type(obj))
    if valid_until is not None and valid_until <= timezone.now():
        raise ValidationError({"valid_until": _("The expiry must be in the future.")})
    field = _principal_field(principal)
    content_type = ContentType.objects.get_for_model(type(obj))
    with transaction.atomic():
        row, created = Grant.objects.update_or_create(
            content_type=content_type,
            object_id=obj.pk,
            **{field: principal},
            defaults={"valid_until": valid_until, "granted_by": officer},
        )
        _mirror(row, present=True)
        audit.record(
            officer,
            obj,
            "classification.grant.created" if created else "classification.grant.updated",
            request,
            {
                "principal": row.principal_label,
                "principal_name": str(principal),
                "valid_until": valid_until.isoformat() if valid_until else None,
            },
        )
        _announce(type(obj), [obj.pk])
    return row


def revoke_grant(officer, row: Grant, request=None) -> None:
    """Withdraw one grant at once (its guardian mirror too)."""
    _require_officer(officer)
    model = row.content_type.model_class()
    obj = model._default_manager.filter(pk=row.object_id).first()
    with transaction.atomic():
        _mirror(row, present=False)
        detail = {"principal": row.principal_label, "principal_name": str(row.principal)}
        row.delete()
        if obj is not None:
            audit.record(officer, obj, "classification.grant.revoked", request, detail)
        else:
            audit.record(officer, None, "classification.grant.revoked", request, detail)
        _announce(model, [row.object_id])


def expire(since: datetime, now: datetime | None = None) -> int:
    """Handle grants that expired in (``since``, ``now``]: the policy already ignores them;
    remove their guardian mirrors and announce their items, so that the search index drops
    the expired principals. Idempotent; run periodically (``classification.tasks``) with an
    overlapping window. Returns the number of grants handled."""
    now = now or timezone.now()
    expired = list(
        Grant.objects.filter(valid_until__gt=since, valid_until__lte=now).select_related(
            "content_type"
        )
    )
    touched: dict[type, set[int]] = {}
    for row in expired:
        _mirror(row, present=False)
        touched.setdefault(row.content_type.model_class(), set()).add(row.object_id)
    for model, ids in touched.items():
        access_changed.send(sender=model, object_ids=sorted(ids))
    return len(expired)
