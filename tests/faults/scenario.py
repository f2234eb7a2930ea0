"""The data the fault tests work on, and how they read what the workers did."""

from __future__ import annotations

import email
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from portal.accounts.models import User
from portal.alerts.models import Frequency, Kind, SavedSearch
from portal.enterprises.models import Enterprise, Status
from search import engine, indexing
from search.models import OutboxEntry
from search.registry import alias, names
from tests.factories import uscc_for

from .services import wait_until


def approved_enterprises(count: int, first: int, name: str) -> list[Enterprise]:
    """``count`` released profiles written in one statement (no signals: no outbox rows)."""
    now = timezone.now()
    return Enterprise.objects.bulk_create(
        Enterprise(
            uscc=uscc_for(first + n),
            name=f"{name}{n}有限公司",
            region_id="450103",
            status=Status.APPROVED,
            approved_at=now,
        )
        for n in range(count)
    )


def subscribers(count: int, name: str) -> list[User]:
    """Users with a verified address, each with a saved supplier search of everything new
    (saved an hour ago), alerted on every run."""
    saved_at = timezone.now() - timedelta(hours=1)
    users = [
        User.objects.create_user(
            f"{name}-{n}", f"{name}-{n}@example.cn", email_verified_at=saved_at
        )
        for n in range(count)
    ]
    for user in users:
        SavedSearch.objects.create(
            user=user,
            kind=Kind.SUPPLIER,
            name="新入库企业",
            frequency=Frequency.IMMEDIATELY,
            created=saved_at,
        )
    return users


def settle_indices() -> None:
    """Every index of the test's prefix in line with the database before the fault (pages and
    profiles left by earlier tests): reconciled, drained, refreshed."""
    for name in names():
        indexing.reconcile(name)
    indexing.drain()
    wait_until(lambda: not OutboxEntry.objects.exists(), 60, "the outbox drained before the fault")
    for name in names():
        engine.refresh(alias(name))


def received(mail_dir: Path) -> dict[str, list[str]]:
    """Message-IDs per recipient, over every file the workers' file mail backend wrote."""
    by_recipient: dict[str, list[str]] = {}
    for path in mail_dir.glob("*.log"):
        content = path.read_bytes()
        for raw in content.split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw)
            by_recipient.setdefault(message["To"], []).append(message["Message-ID"])
    return by_recipient
