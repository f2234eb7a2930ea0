"""The records of graded release: targeted grants, the access log and access requests.

``Grant`` is the source of truth for targeted access. django-guardian's generic tables key
objects by a text ``object_pk`` and are slow to join against 100k rows (its own performance
guide says so), so the policy queries ``Grant`` on integer, indexed columns; user and group
grants are mirrored into guardian (``classification.grants``) only so that guardian's checker
and its admin agree with the policy.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def valid_at(now=None) -> Q:
    """Grants in force at ``now``: an expired grant is no grant."""
    now = now or timezone.now()
    return Q(valid_until__isnull=True) | Q(valid_until__gt=now)


class Grant(models.Model):
    """Targeted access to one item for one principal: a user, a group or an enterprise."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="classification_grants",
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="classification_grants",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="classification_grants",
    )
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("targeted grant")
        verbose_name_plural = _("targeted grants")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="classification_grant_one_principal",
                condition=(
                    Q(user__isnull=False, group__isnull=True, enterprise__isnull=True)
                    | Q(user__isnull=True, group__isnull=False, enterprise__isnull=True)
                    | Q(user__isnull=True, group__isnull=True, enterprise__isnull=False)
                ),
            ),
            # Principal first: these also serve "what is granted to me" lookups by the policy.
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"],
                condition=Q(user__isnull=False),
                name="classification_grant_user_unique",
            ),
            models.UniqueConstraint(
                fields=["group", "content_type", "object_id"],
                condition=Q(group__isnull=False),
                name="classification_grant_group_unique",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "content_type", "object_id"],
                condition=Q(enterprise__isnull=False),
                name="classification_grant_enterprise_unique",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.principal_label} → {self.content_type_id}:{self.object_id}"

    @property
    def principal(self):
        return self.user or self.group or self.enterprise

    @property
    def principal_label(self) -> str:
        if self.user_id:
            return f"u:{self.user_id}"
        if self.group_id:
            return f"g:{self.group_id}"
        return f"e:{self.enterprise_id}"

    def is_valid(self, now=None) -> bool:
        return self.valid_until is None or self.valid_until > (now or timezone.now())


class AccessLog(models.Model):
    """One entry of the access audit: who did what to which item, when and from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    object_repr = models.CharField(_("item"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(fields=["user", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class AccessRequest(models.Model):
    """A user's request (申请查看) to read an item's fields above their clearance."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="classification_access_requests",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("item"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    grant = models.ForeignKey(
        Grant, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_requests"
    )

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"],
                condition=Q(status="pending"),
                name="classification_one_pending_request",
                violation_error_message=_("You already have a pending request for this item."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.object_repr} ({self.status})"

    @property
    def item(self):
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None
