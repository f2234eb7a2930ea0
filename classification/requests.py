"""Access requests (申请查看): a user who sees an item but not all its fields asks for them.

A classification officer approves (a targeted grant on the item, with an expiry) or denies
with a reason; the requester is told by e-mail; every step goes to the access log. Modelled on
SAM.gov's controlled attachments: the item's stub is public, its sensitive parts are asked for.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.mail import send_templated

from . import audit, changes, policy
from .models import AccessRequest, RequestStatus
from .redaction import redacted_fields


def sensitive_fields(obj: Model) -> list[str]:
    """The fields of ``obj`` that may sit above its tier: declared ones and per-item overrides."""
    decl = policy.declaration(type(obj))
    return sorted(set(decl.sensitive_names()) | set(obj.field_tiers or {}))


def field_label(model, name: str) -> str:
    """A person's name for a field, for pages and e-mails."""
    declared = getattr(model, "classification", None)
    if declared is not None and name in declared.field_labels:
        return str(declared.field_labels[name])
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name.replace("_", " ")
    if getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    return str(field.related_model._meta.verbose_name_plural)


def hidden_fields(user, obj: Model) -> list[str]:
    """The sensitive fields of ``obj`` that ``user`` does not read: what a request would open."""
    return redacted_fields(obj, user, sensitive_fields(obj))


def request_url(obj: Model) -> str:
    """Where a page links its "申请查看" button for ``obj``."""
    meta = obj._meta
    return reverse("classification:request_access", args=[meta.app_label, meta.model_name, obj.pk])


def submit(user, obj: Model, reason: str, request=None) -> AccessRequest:
    """File a request by ``user`` for the hidden fields of ``obj``.

    Refused when the user may not see the item (the caller answers 404), when nothing is
    hidden from them, when the reason is blank, or when a request is already pending.
    """
    if not policy.can_view(user, obj):
        raise PermissionDenied
    if not hidden_fields(user, obj):
        raise ValidationError(_("You already read every field of this item."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why you need access.")})
    content_type = ContentType.objects.get_for_model(type(obj))
    try:
        with transaction.atomic():
            row = AccessRequest.objects.create(
                user=user,
                content_type=content_type,
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                reason=reason,
            )
            audit.record(
                user, obj, "classification.access_request.created", request, {"request": row.pk}
            )
    except IntegrityError as error:
        raise ValidationError(_("You already have a pending request for this item.")) from error
    return row


def _decide(officer, row: AccessRequest) -> Model:
    if not policy.is_officer(officer):
        raise PermissionDenied(_("Only classification officers decide access requests."))
    if row.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    obj = row.item
    if obj is None:
        raise ValidationError(_("The item of this request no longer exists."))
    return obj


def _notify(row: AccessRequest, template: str, obj: Model) -> None:
    if not row.user.email:
        return
    send_templated(
        template,
        [row.user.email],
        {
            "access_request": row,
            "item": str(obj),
            "requests_url": settings.SITE_URL + reverse("classification:my_requests"),
        },
    )


def approve(
    officer, row: AccessRequest, valid_until: datetime | None, note: str = "", request=None
) -> AccessRequest:
    """Grant the requester targeted access to the item until ``valid_until`` and tell them."""
    obj = _decide(officer, row)
    if valid_until is None:
        raise ValidationError({"valid_until": _("An approved request needs an expiry.")})
    with transaction.atomic():
        changes.grant(officer, obj, row.user, valid_until, request, reason=row.reason)
        row.status = RequestStatus.APPROVED
        row.granted_until = valid_until
        row.decided_by = officer
        row.decided_at = timezone.now()
        row.decision_reason = (note or "").strip()
        row.save()
        audit.record(
            officer,
            obj,
            "classification.access_request.approved",
            request,
            {"request": row.pk, "requester": row.user_id, "valid_until": valid_until.isoformat()},
        )
        _notify(row, "access_request_approved", obj)
    return row


def deny(officer, row: AccessRequest, reason: str, request=None) -> AccessRequest:
    """Refuse the request with a reason, which the requester receives by e-mail."""
    obj = _decide(officer, row)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the refusal.")})
    with transaction.atomic():
        row.status = RequestStatus.DENIED
        row.decided_by = officer
        row.decided_at = timezone.now()
        row.decision_reason = reason
        row.save()
        audit.record(
            officer,
            obj,
            "classification.access_request.denied",
            request,
            {"request": row.pk, "requester": row.user_id},
        )
        _notify(row, "access_request_denied", obj)
    return row
