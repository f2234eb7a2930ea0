"""Demo accounts: one per role plus an administrator, with passwords documented in the README.

Passwords are fixed (not random) because the README lists them for people trying the demo;
``seed_demo`` refuses to run where ``DEMO_DATA_ALLOWED`` is off, i.e. in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils import timezone

from . import roles
from .models import User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    email: str
    role: str | None
    label: str
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin",
        "Admin-2026-demo",
        "admin@demo.junmin.local",
        None,
        "管理员 administrator",
        superuser=True,
    ),
    DemoAccount(
        "enterprise",
        "Enterprise-2026-demo",
        "enterprise@demo.junmin.local",
        roles.ENTERPRISE,
        "企业用户 enterprise user",
    ),
    DemoAccount(
        "procurement",
        "Procurement-2026-demo",
        "procurement@demo.junmin.local",
        roles.PROCUREMENT,
        "采购人员 procurement officer",
    ),
    DemoAccount(
        "reviewer",
        "Reviewer-2026-demo",
        "reviewer@demo.junmin.local",
        roles.REVIEWER,
        "审核员 reviewer",
    ),
    DemoAccount(
        "editor",
        "Editor-2026-demo",
        "editor@demo.junmin.local",
        roles.EDITOR,
        "编辑 editor",
    ),
    DemoAccount(
        "classifier",
        "Classifier-2026-demo",
        "classifier@demo.junmin.local",
        roles.CLASSIFICATION_OFFICER,
        "定密/发布审核 classification officer",
    ),
    DemoAccount(
        "publisher",
        "Publisher-2026-demo",
        "publisher@demo.junmin.local",
        roles.PUBLISHER,
        "发布审批人 publisher",
    ),
]


def seed(rng, stdout, options) -> list[DemoAccount]:
    """Create or reset the demo accounts; returns them so the command can print the logins."""
    now = timezone.now()
    for account in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(
            username=account.username, defaults={"email": account.email}
        )
        user.email = account.email
        user.email_verified_at = user.email_verified_at or now
        user.is_staff = account.superuser
        user.is_superuser = account.superuser
        user.is_active = True
        user.set_password(account.password)
        user.save()
        if account.role:
            user.groups.add(Group.objects.get(name=account.role))
    return DEMO_ACCOUNTS
