"""The records of graded release: targeted grants, the access log and access requests.

Targeted grants are django-guardian object permissions (``<app>.view_targeted``) kept in
guardian's *direct-foreign-key* tables, one pair (users, groups) per classifiable model: each
app declares ``class XUserGrant(UserGrant)`` and ``class XGroupGrant(GroupGrant)`` with a
``content_object`` foreign key. guardian's generic tables key objects by a text ``object_pk``
and join slowly against large tables (guardian's performance guide recommends direct foreign
keys); these join on integer, indexed columns. The release policy reads them in SQL, guardian's
own checker reads the same rows, and there is no other store.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class _GrantColumns(models.Model):
    """What a release grant carries beyond guardian's (principal, permission, object) row."""

    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True, db_index=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    def is_valid(self, now=None) -> bool:
        return self.valid_until is None or self.valid_until > (now or timezone.now())


class UserGrant(_GrantColumns, UserObjectPermissionBase):
    """Targeted access to one item for one user: guardian's direct-foreign-key user object
    permission ``<app>.view_targeted``. A classifiable app subclasses it with its
    ``content_object`` foreign key (guardian finds the table from the model)."""

    class Meta(UserObjectPermissionBase.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"u:{self.user_id} → {self.content_object_id}"


class GroupGrant(_GrantColumns, GroupObjectPermissionBase):
    """Targeted access to one item for the members of one group (a role, an ad-hoc group, or
    an enterprise's owners): guardian's direct-foreign-key group object permission."""

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"g:{self.group_id} → {self.content_object_id}"


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
    granted_until = models.DateTimeField(_("access granted until"), null=True, blank=True)

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
