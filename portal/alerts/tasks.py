"""Celery tasks of alerts: the beat's periodic run of the due saved searches."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from .delivery import run_due

_LOCK = "alerts:run-lock"


@shared_task(bind=True, acks_late=True)
def send_due_alerts(self) -> dict:
    """Run the due saved searches once. A singleton: a run still going makes the next tick a
    no-op (the row locks in ``delivery`` would keep them apart anyway; this saves the work).

    The lock holds the task's id: when a worker dies mid-run, the broker hands the same task
    (same id) to another worker, which takes the dead run's lock over at once instead of
    waiting for it to expire; other ticks still skip until then."""
    owner = self.request.id or "local"
    if not cache.add(_LOCK, owner, timeout=30 * 60) and cache.get(_LOCK) != owner:
        return {"skipped": True}
    try:
        return run_due().as_dict()
    finally:
        cache.delete(_LOCK)
