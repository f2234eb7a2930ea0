"""What the procurement desk adds to a notice: its amendments (变更公告), its followers (关注)
and its interested suppliers (意向供应商名单).

Amendments are content history that readers see, so they are rows of their own rather than
Wagtail revisions (revisions hold drafts nobody has approved). An amendment written with an
edit of a live notice waits for that revision: it is shown, and followers are told, only once
the workflow publishes it (``published_at``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AmendmentKind(models.TextChoices):
    EDITED = "edited", _("Notice amended")
    DEADLINE = "deadline", _("Deadline changed")
    CLOSED = "closed", _("Closed early")


class NoticeAmendment(models.Model):
    notice = models.ForeignKey(
        "notices.NoticePage",
        verbose_name=_("notice"),
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AmendmentKind.choices)
    #: The revision that carries the change (edits); published with it.
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: Names of the changed fields (``amendments.FIELD_LABELS`` keys), so that each reader is
    #: shown only those they may read.
    fields = models.JSONField(_("changed fields"), default=list)
    old_deadline = models.DateTimeField(_("previous deadline"), null=True, blank=True)
    new_deadline = models.DateTimeField(_("new deadline"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.get_kind_display()}"


class NoticeFollow(models.Model):
    """A user who follows a notice gets its amendments and deadline changes by e-mail."""

    notice = models.ForeignKey(
        "notices.NoticePage",
        verbose_name=_("notice"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notice_follows",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notices_one_follow_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.notice_id}"


class NoticeInterest(models.Model):
    """An enterprise on a notice's interested-suppliers list, optionally open to teaming."""

    notice = models.ForeignKey(
        "notices.NoticePage",
        verbose_name=_("notice"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="notice_interests",
    )
    teaming = models.BooleanField(_("seeking partners (寻求合作)"), default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interested supplier")
        verbose_name_plural = _("interested suppliers")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "enterprise"], name="notices_one_interest_per_enterprise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.notice_id}"
