"""Shortlists (候选供应商名单): a procurement officer's named, annotated sets of suppliers.

A shortlist is a private working item, not a released one: it has no tier. Its owner and the
groups it is shared with see it (``portal.shortlists.access`` decides, with the shares kept by
``classification.sharing``); the suppliers in it are still read through the release policy on
every page and export, so a shortlist never carries a supplier past its reader's clearance.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from portal.core.builds import BuiltFile

#: A shortlist is read by people and printed page per supplier: keep it a list, not a registry.
MAX_ENTRIES = 200


class Shortlist(models.Model):
    """A named list of suppliers owned by one user."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="shortlists",
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        ordering = ["-updated", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="shortlists_unique_name_per_owner",
                violation_error_message=_("You already have a shortlist with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def touch(self) -> None:
        """Mark the list changed when its entries change (lists sort by last change)."""
        self.save(update_fields=["updated"])


class ShortlistEntry(models.Model):
    """One supplier on a shortlist, with the officer's note about it."""

    shortlist = models.ForeignKey(
        Shortlist, verbose_name=_("shortlist"), on_delete=models.CASCADE, related_name="entries"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="shortlist_entries",
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "enterprise"],
                name="shortlists_entry_unique",
                violation_error_message=_("This supplier is already on the shortlist."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.shortlist} · {self.enterprise_id}"


class ExportKind(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"


class ShortlistExport(BuiltFile):
    """One reader's export of a shortlist, built in the background (``exports``).

    Per reader, because the file holds what that reader may see (the release policy and
    redaction apply to the exporter); the fingerprint of those rows says when it is outdated.
    """

    shortlist = models.ForeignKey(
        Shortlist, verbose_name=_("shortlist"), on_delete=models.CASCADE, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=4, choices=ExportKind.choices)

    class Meta:
        verbose_name = _("shortlist export")
        verbose_name_plural = _("shortlist exports")
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "requested_by", "kind"], name="shortlists_export_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shortlist_id} · {self.requested_by_id} · {self.kind} ({self.status})"
