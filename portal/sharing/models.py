"""Agencies' API clients, the journal of what changed, and the log of what was shared.

An agency (工信厅, 国防科工办, 军队采购部门, a city bureau) is an OAuth2 application of the client
credentials kind (django-oauth-toolkit) with a ``SharingClient`` beside it: who owns it, the
highest tier it may receive, its scopes, an optional expiry, the data-sharing terms, and the
service account whose clearance the release policy reads. The service account has no password
and no staff rights: it exists so that every record goes through the same policy as a person of
that tier would (docs/sharing.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classification.tiers import Tier

#: What a client may be allowed to do.
SCOPES = {
    "enterprises:read": _("Read the enterprise change feed"),
    "notices:read": _("Read the notice change feed"),
    "enterprises:push": _("Push enterprise records into review"),
}


class Ceiling(models.TextChoices):
    """The tiers a client may receive: never targeted (grants name people, not agencies)."""

    REGISTERED = Tier.REGISTERED, _("registered")
    VETTED = Tier.VETTED, _("vetted")


class SharingClient(models.Model):
    application = models.OneToOneField(
        "oauth2_provider.Application",
        on_delete=models.CASCADE,
        related_name="sharing",
        verbose_name=_("OAuth2 application"),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    agency = models.CharField(
        _("owning agency"), max_length=100, help_text=_("e.g. 广西壮族自治区工业和信息化厅")
    )
    ceiling = models.CharField(
        _("tier ceiling"),
        max_length=12,
        choices=Ceiling.choices,
        default=Ceiling.REGISTERED,
        help_text=_("The highest release tier of the records and fields this client receives."),
    )
    scopes = models.CharField(
        _("scopes"), max_length=200, help_text=_("Space-separated: ") + " ".join(SCOPES)
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    terms = models.TextField(
        _("data-sharing terms"),
        blank=True,
        help_text=_("The agreement under which this agency receives the data (数据共享协议)."),
    )
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sharing_client",
        verbose_name=_("service account"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("data-sharing client")
        verbose_name_plural = _("data-sharing clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"

    @property
    def client_id(self) -> str:
        return self.application.client_id

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def in_force(self, now=None) -> bool:
        """Not revoked and not past its expiry (the expiry day itself still counts)."""
        if self.revoked_at is not None:
            return False
        if self.expires_on is None:
            return True
        return timezone.localdate(now or timezone.now()) <= self.expires_on


class Change(models.Model):
    """One row per shared object: "this record changed", in commit order.

    ``position`` orders the feed. On PostgreSQL it is the id of the transaction that last wrote
    the row, and a reader only returns rows below the oldest transaction still running, so a
    change committed late by a transaction that started early is never skipped (a wall clock or
    a sequence would be: both are taken before commit). On SQLite writers are serialised, so the
    next number in the table is already commit order. ``seen_rank`` is the lowest tier rank at
    which the record was ever sent to a client, so that a record which leaves a client's view
    becomes a ``delete`` for clients who may have seen it and for nobody else.
    """

    feed = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    position = models.BigIntegerField()
    changed_at = models.DateTimeField()
    #: The record's key as last sent (a USCC, a notice id): what a later ``delete`` names.
    key = models.CharField(max_length=40, blank=True)
    seen_rank = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "object_id"], name="sharing_change_one_row")
        ]
        indexes = [
            models.Index(fields=["feed", "position", "object_id"], name="sharing_feed_order")
        ]

    def __str__(self) -> str:
        return f"{self.feed}/{self.object_id}@{self.position}"


class Exchange(models.Model):
    """One pull or push: what an agency received or sent, and when (the sharing audit)."""

    class Direction(models.TextChoices):
        PULL = "pull", _("pull")
        PUSH = "push", _("push")

    client = models.ForeignKey(
        SharingClient,
        on_delete=models.CASCADE,
        related_name="exchanges",
        verbose_name=_("data-sharing client"),
    )
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    endpoint = models.CharField(_("endpoint"), max_length=200)
    record_count = models.PositiveIntegerField(_("records"))
    cursor_from = models.CharField(_("cursor from"), max_length=60, blank=True)
    cursor_to = models.CharField(_("cursor to"), max_length=60, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("data exchange")
        verbose_name_plural = _("data exchanges")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} {self.direction} {self.endpoint} ({self.record_count})"
