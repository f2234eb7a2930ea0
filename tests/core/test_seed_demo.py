"""seed_demo: one account per role, deterministic, idempotent, refused where disabled."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.accounts import roles
from portal.accounts.demo import DEMO_ACCOUNTS
from portal.accounts.models import User


@pytest.mark.django_db
def test_creates_one_verified_account_per_role_and_prints_logins() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.email_verified
        assert user.check_password(account.password)
        assert account.password in printed
        if account.role:
            held = user.groups.filter(enterprise__isnull=True).values_list("name", flat=True)
            assert set(held) == {account.role}
    assert User.objects.get(username="admin").is_superuser
    covered = {a.role for a in DEMO_ACCOUNTS if a.role}
    assert covered == set(roles.ROLES)


@pytest.mark.django_db
def test_second_run_changes_nothing() -> None:
    call_command("seed_demo", stdout=StringIO())
    before = list(User.objects.order_by("pk").values_list("pk", "username", "email"))
    call_command("seed_demo", stdout=StringIO())
    after = list(User.objects.order_by("pk").values_list("pk", "username", "email"))
    assert before == after


@pytest.mark.django_db
def test_refused_where_demo_data_is_disabled(settings) -> None:
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="disabled"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
