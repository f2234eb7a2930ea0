"""Liveness of the three services the portal depends on: database, search engine, broker.

Each probe answers in at most a couple of seconds, so that a load balancer polling /healthz
learns about an outage instead of waiting on it.
"""

from __future__ import annotations

from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connections

from search import engine


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_search() -> None:
    status = engine.health().get("status")
    if status not in ("green", "yellow"):
        raise RuntimeError(f"cluster health is {status}")


def check_broker() -> None:
    timeout = settings.HEALTH_PROBE_TIMEOUT_SECONDS
    connection = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        connection.ping()
    finally:
        connection.close()


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "search": check_search,
    "broker": check_broker,
}


def run_checks() -> dict[str, dict[str, str]]:
    """Run every probe; a failing probe reports its error class, never a stack trace."""
    results: dict[str, dict[str, str]] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            results[name] = {"status": "down", "error": type(error).__name__}
        else:
            results[name] = {"status": "up"}
    return results
