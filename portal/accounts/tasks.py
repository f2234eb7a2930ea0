"""Periodic account housekeeping."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import User

#: Accounts that never verified their e-mail and never signed in are removed after this long,
#: so that an address typed by mistake does not stay blocked for its real owner.
UNVERIFIED_ACCOUNT_LIFETIME = timedelta(days=30)


@shared_task(acks_late=True)
def purge_stale_unverified_accounts() -> int:
    cutoff = timezone.now() - UNVERIFIED_ACCOUNT_LIFETIME
    stale = User.objects.filter(
        email_verified_at__isnull=True,
        last_login__isnull=True,
        date_joined__lt=cutoff,
        is_staff=False,
        is_superuser=False,
    )
    count = stale.count()
    stale.delete()
    return count
