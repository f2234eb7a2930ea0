"""Fixtures and hooks shared by the whole suite.

The services (PostgreSQL, Redis, OpenSearch, a Celery worker) are started by `make test`;
a test that needs one and cannot reach it fails with a message saying so, it is never skipped.

`make test` runs the suite in two processes (pytest-xdist). Each has its own database, indices
and upload folders (``portal/settings/test.py``) and is handed tests in the suite's order, so that
in each process the transactional tests (whose flush empties the tables) still come last; the
release lifecycle, the longest test by far, is handed out first, and the other process works
through the rest meanwhile. Each process hands its counts (``tests/tally.py``) to the one that
prints the summary.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.core.cache import cache

from portal.celery import app as celery_app
from search import engine, indexing
from search.registry import alias, names
from tests import tally

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


#: The module handed out first to the parallel processes (see the module docstring).
FIRST = "tests/classification/test_release_lifecycle.py"


def pytest_collection_modifyitems(config, items) -> None:
    """``FIRST`` at the front; the rest keep their order (a stable sort)."""
    items.sort(key=lambda item: not item.nodeid.startswith(FIRST))


@pytest.fixture(scope="session", autouse=True)
def _process_indices() -> Iterator[None]:
    """A parallel test process's own indices, ensured as `make test` ensures those of the
    default prefix before the suite starts, and deleted at the end."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield
        return
    engine.client.cache_clear()
    try:
        for name in names():
            indexing.ensure(name)
    except engine.EngineUnavailable as error:  # pragma: no cover - environment problem
        pytest.fail(f"OpenSearch is not reachable ({error}); run the suite with `make test`.")
    yield
    engine.client.cache_clear()
    for name in names():
        for physical in engine.alias_targets(alias(name)):
            engine.delete_index(physical)


def pytest_sessionfinish(session) -> None:
    """A parallel process hands its counts to the one printing the summary."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["tally"] = tally.counts()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    tally.add(getattr(node, "workeroutput", {}).get("tally", {}))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """The access matrix's cell count and the release lifecycle's steps, without ``-s``."""
    counts = tally.counts()
    if counts["cells"]:
        terminalreporter.write_sep("-", f"access matrix: {counts['cells']} cells checked")
    if counts["steps"]:
        terminalreporter.write_sep(
            "-",
            f"release lifecycle: {counts['steps']} steps run in {counts['examples']} examples",
        )
