"""Fixtures for the search service (a plugin loaded by tests/conftest.py, shared with the
browser tests): a fresh alias per test on the real OpenSearch node, and a
small builder of approved enterprise profiles."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import override_settings

from portal.enterprises.models import Enterprise, Status
from portal.enterprises.snapshots import apply_snapshot, empty_snapshot
from portal.enterprises.uscc import make_uscc, org_code_check_char
from search import engine, indexing
from search.registry import alias, names

_serial = itertools.count(1)


def valid_uscc(area: str = "450100") -> str:
    body = f"MA{next(_serial):06d}"
    return make_uscc(f"91{area}{body}{org_code_check_char(body)}")


@pytest.fixture
def search_index(search_engine) -> Iterator[Callable[[], None]]:
    """A private index prefix for the test; yields ``sync()`` which drains and refreshes."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    with override_settings(SEARCH_INDEX_PREFIX=prefix):
        for name in names():
            indexing.ensure(name)

        def sync() -> None:
            indexing.drain()
            for name in names():
                engine.refresh(alias(name))

        yield sync
        for name in names():
            for physical in engine.alias_targets(alias(name)):
                engine.delete_index(physical)


@pytest.fixture
def make_enterprise() -> Callable[..., Enterprise]:
    """An enterprise with the given profile content, approved unless ``status`` says otherwise."""

    def build(
        name: str,
        region: str = "450103",
        industries: list[str] | None = None,
        status: str = Status.APPROVED,
        tier: str = "public",
        **content: Any,
    ) -> Enterprise:
        enterprise = Enterprise.objects.create(
            uscc=valid_uscc(region[:4] + "00"),
            name=name,
            region_id=region,
            status=status,
            tier=tier,
        )
        data = empty_snapshot(uscc=enterprise.uscc, name=name, region=region)
        data.update(industries=industries or ["D01"], **content)
        apply_snapshot(enterprise, data)
        return enterprise

    return build


def qualification(type_code: str, until: date | None = None, level: str = "") -> dict:
    return {
        "type": type_code,
        "number": "Q-1",
        "issuer": "",
        "level": level,
        "valid_from": None,
        "valid_until": until.isoformat() if until else None,
        "document": "",
    }
