"""Per-user feed tokens: a secret in the feed URL, because feed readers cannot log in.

One token per user serves all of that user's feeds (notices at /notices/feed/u/<token>/…, white
papers at /papers/feed/u/<token>/…), so that a leaked address is revoked in one place. A feed
served under a token carries exactly what its user may see (the release policy runs as that
user). Regenerating revokes the old token; a revoked token answers 404.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from portal.accounts.models import User


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notice_feed_tokens",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feed token")
        verbose_name_plural = _("feed tokens")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="notices_one_active_feed_token",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'revoked' if self.revoked_at else 'active'})"

    @classmethod
    def current(cls, user) -> FeedToken:
        """The user's active token, created on first use."""
        token = cls.objects.filter(user=user, revoked_at__isnull=True).first()
        return token or cls.objects.create(user=user)

    @classmethod
    def user_for(cls, token: str) -> User | None:
        """The active user an active token belongs to, or None (unknown or revoked token)."""
        found = (
            cls.objects.select_related("user")
            .filter(token=token, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        return found.user if found is not None else None

    @classmethod
    def regenerate(cls, user) -> FeedToken:
        """Revoke the active token and issue a new one."""
        cls.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        return cls.objects.create(user=user)
