"""Fixtures of the alerts tests: a clock anchored on the saved search, enterprises whose
"updated" time is set (and re-indexed) on purpose, notices, and saved searches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from classification.tiers import Tier
from portal.alerts.models import Frequency, Kind, SavedSearch
from portal.enterprises.models import Enterprise, Industry, Region
from portal.notices.models import Kind as NoticeKind
from portal.notices.models import NoticeIndexPage, NoticePage
from search import indexing
from tests.factories import UserFactory

#: The moment the saved searches of a test were saved; runs happen at ``T0 + hours``.
T0 = timezone.now().replace(microsecond=0) - timedelta(days=30)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def touch(enterprise: Enterprise, when: datetime) -> Enterprise:
    """Pretend the profile was released/updated at ``when`` (and queue its re-index)."""
    Enterprise.objects.filter(pk=enterprise.pk).update(updated_at=when)
    indexing.record("enterprises", [enterprise.pk])
    enterprise.refresh_from_db()
    return enterprise


@pytest.fixture
def user(db):
    return UserFactory(username="alice")


@pytest.fixture
def saved_search(user) -> Callable[..., SavedSearch]:
    def make(
        owner=None,
        kind: str = Kind.SUPPLIER,
        q: str = "",
        filters: dict | None = None,
        frequency: str = Frequency.IMMEDIATELY,
        **extra,
    ) -> SavedSearch:
        return SavedSearch.objects.create(
            user=owner or user,
            kind=kind,
            name=extra.pop("name", q or "全部"),
            q=q,
            filters=filters or {},
            frequency=frequency,
            created=extra.pop("created", T0),
            **extra,
        )

    return make


@pytest.fixture
def make_notice(db) -> Callable[..., NoticePage]:
    """Publish a notice under /notices/ and date its first publication ``published``."""
    index = NoticeIndexPage.objects.get(slug="notices")
    author = UserFactory(username="notice-author", roles=["procurement"])

    def make(
        title: str,
        published: datetime,
        tier: str = Tier.PUBLIC,
        kind: str = NoticeKind.DEMAND,
        **fields,
    ) -> NoticePage:
        fields.setdefault("summary", f"{title}：需求说明。")
        fields.setdefault("deadline", timezone.now() + timedelta(days=30))
        fields.setdefault("region", Region.objects.get(code="450100"))
        notice = NoticePage(title=title, tier=tier, kind=kind, owner=author, live=False, **fields)
        index.add_child(instance=notice)
        notice.industries.set(Industry.objects.filter(code="D01"))
        notice.save_revision(user=author).publish()
        NoticePage.objects.filter(pk=notice.pk).update(first_published_at=published)
        indexing.record("notices", [notice.pk])
        notice.refresh_from_db()
        return notice

    return make
