"""Fixtures shared by the whole suite.

The services (PostgreSQL, Redis, OpenSearch, a Celery worker) are started by `make test`;
a test that needs one and cannot reach it fails with a message saying so, it is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from portal.celery import app as celery_app
from search import engine

pytest_plugins = ["tests.search_fixtures"]


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Each test starts with an empty cache (axes counters, throttles, fragments)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def search_engine() -> Iterator[None]:
    """The real OpenSearch node of `make test`; fails loudly when it is not there."""
    engine.client.cache_clear()
    try:
        engine.health()
    except engine.EngineUnavailable as error:  # pragma: no cover - environment problem
        pytest.fail(f"OpenSearch is not reachable ({error}); run the suite with `make test`.")
    yield
    engine.client.cache_clear()


@pytest.fixture
def celery_worker() -> Iterator[None]:
    """Send tasks through the real broker to the worker started by `make test`."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:  # restored even when no worker answers: later tests must run eagerly again
        replies = celery_app.control.ping(timeout=5.0)
        if not replies:  # pragma: no cover - environment problem
            pytest.fail("No Celery worker answered a ping; run the suite with `make test`.")
        yield
    finally:
        celery_app.conf.task_always_eager = previous
