"""Every change to a profile is a version: a snapshot of the whole profile as JSON.

A version is born as the owner's working copy (``draft``), becomes ``submitted``, and is then
``approved`` (its content is copied to the live rows) or ``returned`` with reasons. Approved
versions form the history a reviewer diffs against.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enterprise import Enterprise


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Superseded")


class EnterpriseVersion(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=10, choices=VersionState.choices, default=VersionState.DRAFT
    )
    data = models.JSONField(_("profile snapshot"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reviewer's reasons"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("profile version")
        verbose_name_plural = _("profile versions")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "number"], name="enterprises_version_number_unique"
            ),
            # At most one open (draft or submitted) version per enterprise: one working copy.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(state__in=["draft", "submitted"]),
                name="enterprises_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} v{self.number} ({self.get_state_display()})"
