"""Housekeeping of unverified accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.tasks import purge_stale_unverified_accounts


@pytest.mark.django_db
def test_purges_only_old_never_used_unverified_accounts() -> None:
    old = timezone.now() - timedelta(days=40)
    stale = User.objects.create_user("stale", "stale@example.cn", "x" * 12)
    verified = User.objects.create_user("verified", "v@example.cn", "x" * 12)
    used = User.objects.create_user("used", "used@example.cn", "x" * 12)
    fresh = User.objects.create_user("fresh", "fresh@example.cn", "x" * 12)
    User.objects.filter(pk__in=[stale.pk, verified.pk, used.pk]).update(date_joined=old)
    User.objects.filter(pk=verified.pk).update(email_verified_at=old)
    User.objects.filter(pk=used.pk).update(last_login=old)

    assert purge_stale_unverified_accounts() == 1
    assert set(User.objects.values_list("username", flat=True)) == {"verified", "used", "fresh"}
    assert fresh.pk
