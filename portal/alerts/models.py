"""Saved searches and the record of what each one has sent.

A ``SavedSearch`` keeps the query exactly as the search page or the notice list takes it
(``q`` plus allow-listed ``filters``), so that an alert finds the same items the user saw when
saving. ``AlertItem`` is the per-search ledger of sent items: unique per (search, item), claimed
in one transaction with the ``AlertDelivery`` that carries them, before the e-mail is sent, so an
item is mailed at most once per search; a delivery whose sender died is sent by the next run
(see ``portal.alerts.delivery``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SUPPLIER = "supplier", _("Supplier search")
    NOTICE = "notice", _("Notice search")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


#: How long after the last run a search is due again. "Immediately" is every beat tick.
INTERVALS: dict[str, timedelta] = {
    Frequency.IMMEDIATELY: timedelta(0),
    # A little under a day/week, so that a run a few minutes late does not push the next one
    # past the following tick (the beat runs every few minutes).
    Frequency.DAILY: timedelta(days=1) - timedelta(minutes=30),
    Frequency.WEEKLY: timedelta(days=7) - timedelta(minutes=30),
}


class SavedSearch(models.Model):
    """One user's saved supplier or notice search and how often to hear about new matches."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    q = models.CharField(_("query"), max_length=200, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.DAILY
    )
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        indexes = [models.Index(fields=["active", "frequency", "last_run_at"])]

    def __str__(self) -> str:
        return self.name

    def is_due(self, now: datetime) -> bool:
        """Active and its interval since the last run has passed (never run: due)."""
        if not self.active:
            return False
        if self.last_run_at is None:
            return True
        return now - self.last_run_at >= INTERVALS[self.frequency]

    def search_url(self) -> str:
        """The search page with this search's query, for "see all results" links."""
        from .criteria import query_string

        base = reverse("suppliers:search") if self.kind == Kind.SUPPLIER else _notice_index_url()
        query = query_string(self.kind, self.q, self.filters)
        return f"{base}?{query}" if query else base


def _notice_index_url() -> str:
    from portal.notices.models import NoticeIndexPage

    index = NoticeIndexPage.objects.live().first()
    return (index.url if index else None) or "/notices/"


class AlertDelivery(models.Model):
    """One digest e-mail, rendered and claimed before it is sent; ``sent_at`` once the mail
    server took it. A row left unsent by a dead worker is sent, as rendered, by the next run.
    ``message_id`` is fixed at the claim, so the one resend a crash can cause (after the server
    took the message, before ``sent_at`` was committed) is recognisable as the same message."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_deliveries"
    )
    created = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    recipient = models.EmailField()
    subject = models.TextField()
    text = models.TextField()
    html = models.TextField()
    headers = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(
                fields=["created"], condition=models.Q(sent_at__isnull=True), name="alerts_unsent"
            )
        ]
        verbose_name = _("alert e-mail")

    def __str__(self) -> str:
        return self.message_id


class AlertItem(models.Model):
    """One item a saved search has sent: never again for that search."""

    class ItemType(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        NOTICE = "notice", _("Notice")

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="sent_items"
    )
    item_type = models.CharField(max_length=12, choices=ItemType.choices)
    item_id = models.PositiveBigIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    #: The e-mail that carries it (a failed send deletes both, so the item is found again).
    delivery = models.ForeignKey(
        AlertDelivery, on_delete=models.CASCADE, null=True, related_name="items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "item_type", "item_id"], name="alerts_item_once"
            )
        ]
        verbose_name = _("sent alert item")

    def __str__(self) -> str:
        return f"{self.item_type}:{self.item_id}"
