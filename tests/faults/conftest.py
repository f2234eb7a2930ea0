"""Fixtures of the fault tests: their own Redis, Celery workers and search indices.

The tests kill and restart these, never the services of `make test`: the rest of the suite runs
against those. The workers share the suite's test database (transactional tests commit, so the
workers see the rows), a unique index prefix on the suite's OpenSearch node, and a Redis of
their own as broker and cache (as in production, where both live in Redis). Timeouts that are
an hour or five minutes in production are seconds here (``CELERY_VISIBILITY_TIMEOUT``,
``SEARCH_OUTBOX_LEASE_SECONDS``), so that a killed worker's work is handed on within the test.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from portal.celery import app as celery_app
from search import engine, indexing
from search.registry import alias, names

from . import services

#: Seconds before Redis hands a dead worker's unacked task on, and before a killed drain's
#: claimed outbox rows may be taken again (an hour and five minutes in production).
VISIBILITY_TIMEOUT = 3
OUTBOX_LEASE = 3


@pytest.fixture(scope="package")
def fault_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("faults")
    folder.chmod(0o755)
    return folder


@pytest.fixture(scope="package")
def private_redis(fault_dir: Path) -> Iterator[services.Redis]:
    redis = services.Redis(fault_dir / "redis")
    try:
        redis.start()
        yield redis
    finally:
        redis.stop()


@pytest.fixture(scope="package")
def fault_prefix() -> Iterator[str]:
    """A unique index prefix on the suite's OpenSearch node, every index ensured."""
    engine.client.cache_clear()
    try:
        engine.health()
    except engine.EngineUnavailable as error:  # pragma: no cover - environment problem
        pytest.fail(f"OpenSearch is not reachable ({error}); run the suite with `make test`.")
    prefix = f"{settings.SEARCH_INDEX_PREFIX}-faults-{uuid.uuid4().hex[:8]}"
    with override_settings(SEARCH_INDEX_PREFIX=prefix):
        for name in names():
            indexing.ensure(name)
        yield prefix
        for name in names():
            for physical in engine.alias_targets(alias(name)):
                engine.delete_index(physical)


@pytest.fixture(scope="package")
def mail_dir(fault_dir: Path) -> Path:
    folder = fault_dir / "mail"
    folder.mkdir()
    return folder


class Workers:
    """At most one private worker at a time; a test kills it and asks for the next."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started = 0
        self.current: services.Process | None = None

    def running(self) -> services.Process:
        if self.current is None or not self.current.running:
            self.started += 1
            name = f"faults{self.started}"
            self.current = services.celery_worker(self.env, self.logs / f"{name}.log", name)
            self.current.start()
        return self.current

    def successor(self) -> services.Process:
        """The next worker after one was killed, started once the dead worker's unacknowledged
        task is older than the visibility timeout. Kombu's Redis transport hands such tasks on
        when a worker starts polling and after that only every tenth ten-second tick (~100 s):
        a worker started sooner would leave the task waiting that long."""
        time.sleep(VISIBILITY_TIMEOUT + 1)
        return self.running()

    def stop(self) -> None:
        """A warm shutdown (SIGTERM): the worker finishes its task and leaves."""
        if self.current is not None:
            self.current.stop()
            self.current = None


def suite_database_url() -> str:
    """A ``DATABASE_URL`` naming the database this test process runs on: pytest-django's test
    database, on a cluster and under a name of its own when the suite runs in parallel."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres", safe="") + (
        ":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else ""
    )
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="package")
def workers(
    django_db_setup,
    private_redis: services.Redis,
    fault_prefix: str,
    mail_dir: Path,
    fault_dir: Path,
) -> Iterator[Workers]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
        "DATABASE_URL": suite_database_url(),  # the suite's test database
        "CELERY_BROKER_URL": private_redis.url(0),
        "CACHE_URL": private_redis.url(1),
        "SEARCH_INDEX_PREFIX": fault_prefix,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "SEARCH_OUTBOX_LEASE_SECONDS": str(OUTBOX_LEASE),
        "FAULTS_MAIL_DIR": str(mail_dir),
    }
    pool = Workers(env, fault_dir / "logs")
    yield pool
    pool.stop()


def reset_pools() -> None:
    """Forget the producer connections, so that the next publish connects to the broker URL
    configured now (what Celery itself does after a fork)."""
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def private_broker(private_redis: services.Redis) -> Iterator[services.Redis]:
    """Tasks sent by the test process (``.delay()``, on-commit drains) go to the private Redis,
    through the broker instead of eagerly. (Celery reads the ``CELERY_BROKER_WRITE_URL``
    environment variable before its configuration, and ``CELERY_BROKER_URL`` is set for the
    suite, so the write URL is the one to change.)"""
    saved_url = os.environ.get("CELERY_BROKER_WRITE_URL")
    saved_eager = celery_app.conf.task_always_eager
    os.environ["CELERY_BROKER_WRITE_URL"] = private_redis.url(0)
    celery_app.conf.task_always_eager = False
    reset_pools()
    try:
        yield private_redis
        # Before the database is flushed for the next test: every task the test caused is done.
        services.wait_until(private_redis.idle, 60, "the private worker's tasks finished")
    finally:
        if saved_url is None:
            os.environ.pop("CELERY_BROKER_WRITE_URL", None)
        else:
            os.environ["CELERY_BROKER_WRITE_URL"] = saved_url
        celery_app.conf.task_always_eager = saved_eager
        reset_pools()
