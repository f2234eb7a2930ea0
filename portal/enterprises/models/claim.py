"""A claim (认领) of an imported profile by the enterprise it describes.

Imported profiles have no owner: the agency vouched for the data, nobody may edit it. A user
of the enterprise claims it by its credit code; a reviewer checks the claim (the letter of
authorisation, a phone call) and confirms it, which makes the user an owner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.storage import private_storage

from .enterprise import Enterprise


class ClaimState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnterpriseClaim(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="claims")
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_claims"
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ClaimState.choices,
        default=ClaimState.PENDING,
        db_index=True,
    )
    message = models.TextField(
        _("message to the reviewer"),
        blank=True,
        help_text=_("Your position in the enterprise and how the reviewer can verify it."),
    )
    document = models.FileField(
        _("letter of authorisation"), storage=private_storage, upload_to="claims/", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reviewer's reasons"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enterprise claim")
        verbose_name_plural = _("enterprise claims")
        constraints = [
            # One open claim per user and profile: a second click must not queue a duplicate.
            models.UniqueConstraint(
                fields=["enterprise", "claimant"],
                condition=models.Q(state="pending"),
                name="enterprises_one_pending_claim",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claimant} → {self.enterprise} ({self.get_state_display()})"
