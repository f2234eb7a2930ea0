"""Celery tasks of the search service, all on the ``search`` queue."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

from . import engine, indexing, registry

logger = logging.getLogger(__name__)

_DRAIN_LOCK = "search:drain-lock"


@shared_task(
    acks_late=True,
    autoretry_for=(engine.EngineUnavailable,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=None,
)
def drain_outbox() -> int:
    """Send the outbox to the engine; while the engine is down, retry with backoff.

    Idempotent: rows are settled only after the engine acknowledged them, and claims keep two
    workers from sending the same rows.
    """
    return indexing.drain()


@shared_task(acks_late=True)
def reconcile_indices() -> dict[str, int]:
    """Periodic: compare every index with the database and repair missing/stale/orphaned."""
    if not cache.add(_DRAIN_LOCK + ":reconcile", "1", timeout=600):
        return {}
    try:
        found = {}
        for index in registry.indices():
            drift = indexing.reconcile(index)
            found[index.name] = len(drift.ids())
        return found
    finally:
        cache.delete(_DRAIN_LOCK + ":reconcile")
