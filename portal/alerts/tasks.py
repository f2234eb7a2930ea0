"""Celery tasks of alerts: the beat's periodic run of the due saved searches."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from .delivery import run_due

_LOCK = "alerts:run-lock"


@shared_task(acks_late=True)
def send_due_alerts() -> dict:
    """Run the due saved searches once. A singleton: a run still going makes the next tick a
    no-op (the row locks in ``delivery`` would keep them apart anyway; this saves the work)."""
    if not cache.add(_LOCK, "1", timeout=30 * 60):
        return {"skipped": True}
    try:
        return run_due().as_dict()
    finally:
        cache.delete(_LOCK)
