"""Builders of notices and papers for the content-search tests, through Wagtail's real
publish path (so the page signals that feed the outbox run as they do in the admin), and a
module-wide database and index for tests that only read."""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from classification.tiers import Tier
from portal.enterprises.models import Enterprise, Industry, Region, Status
from portal.enterprises.snapshots import apply_snapshot, empty_snapshot
from portal.notices.models import Kind, NoticeIndexPage, NoticePage
from portal.papers.demo import create_paper
from portal.papers.models import PaperPage
from search import engine, indexing
from search.registry import alias, names
from tests.search_fixtures import valid_uscc

_serial = itertools.count(1)


def create_notice(
    title: str,
    summary: str = "",
    *,
    tier: str = Tier.PUBLIC,
    kind: str = Kind.DEMAND,
    region: str | None = "450100",
    industries: tuple[str, ...] = ("D01",),
    paragraphs: tuple[str, ...] = (),
    requirements: tuple[str, ...] = (),
    deadline=None,
    publish: bool = True,
    owner=None,
    **fields: Any,
) -> NoticePage:
    """A notice under the notice index, published unless ``publish=False``."""
    body: list[dict] = [{"type": "paragraph", "value": f"<p>{p}</p>"} for p in paragraphs]
    if requirements:
        body.append(
            {"type": "requirements", "value": {"heading": "技术要求", "items": list(requirements)}}
        )
    notice = NoticePage(
        title=title,
        slug=f"notice-{uuid.uuid4().hex[:8]}",
        summary=summary or title,
        tier=tier,
        kind=kind,
        region=Region.objects.get(code=region) if region else None,
        deadline=deadline if deadline is not None else timezone.now() + timedelta(days=30),
        body=body,
        owner=owner,
        live=False,
        **fields,
    )
    NoticeIndexPage.objects.get(slug="notices").add_child(instance=notice)
    notice.industries.set(Industry.objects.filter(code__in=industries))
    revision = notice.save_revision(user=owner)
    if publish:
        revision.publish(user=owner)
        notice.refresh_from_db()
    return notice


def create_short_paper(
    title: str, text: str, *, tier: str = Tier.PUBLIC, publish: bool = True, owner=None
) -> PaperPage:
    """A short paper (a chapter and a paragraph), published unless ``publish=False``."""
    blocks = [
        {"type": "chapter", "value": {"number": 1, "heading": "总体情况"}},
        {"type": "text", "value": f"<p>{text}</p>"},
    ]
    return create_paper(
        blocks,
        slug=f"paper-{uuid.uuid4().hex[:8]}",
        title=title,
        tier=tier,
        publish=publish,
        owner=owner,
        issue_date=date(2026, 3, 18),
    )


def create_supplier(name: str, description: str = "", region: str = "450103") -> Enterprise:
    """An approved public enterprise profile (as ``make_enterprise`` in search_fixtures)."""
    enterprise = Enterprise.objects.create(
        uscc=valid_uscc(region[:4] + "00"), name=name, region_id=region, status=Status.APPROVED
    )
    data = empty_snapshot(uscc=enterprise.uscc, name=name, region=region)
    data.update(industries=["D0101"], description=description)
    apply_snapshot(enterprise, data)
    return enterprise


@pytest.fixture
def make_notice(db) -> Callable[..., NoticePage]:
    return create_notice


@pytest.fixture
def make_paper(db) -> Callable[..., PaperPage]:
    return create_short_paper


@contextlib.contextmanager
def module_database() -> Iterator[None]:
    """One transaction for a module's shared data, rolled back at its end (tests inside run
    in savepoints). A transactional test run earlier leaves the tables flushed: the
    migrations' reference data is put back first, as the access matrix does."""
    if not Region.objects.exists():
        contents = getattr(connection, "_test_serialized_contents", None)
        if not contents:  # pragma: no cover - serialization is on by default
            pytest.fail("The test database lost its reference data and has no serialized copy.")
        connection.creation.deserialize_db_from_string(contents)
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()


@contextlib.contextmanager
def module_index() -> Iterator[Callable[[], None]]:
    """Private indices for a module on the real engine; yields ``sync()`` (drain + refresh)."""
    engine.client.cache_clear()
    try:
        engine.health()
    except engine.EngineUnavailable as error:  # pragma: no cover - environment problem
        pytest.fail(f"OpenSearch is not reachable ({error}); run the suite with `make test`.")
    with override_settings(SEARCH_INDEX_PREFIX=f"tc{uuid.uuid4().hex[:10]}"):
        for name in names():
            indexing.ensure(name)

        def sync() -> None:
            indexing.drain()
            for name in names():
                engine.refresh(alias(name))

        try:
            yield sync
        finally:
            for name in names():
                for physical in engine.alias_targets(alias(name)):
                    engine.delete_index(physical)
