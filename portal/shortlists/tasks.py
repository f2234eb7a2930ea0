"""Celery tasks of shortlists: building an export on the "pdf" queue.

The task takes the export's primary key and acknowledges late; it is idempotent (it builds
what the reader may see when it runs and stores it under that fingerprint), so a redelivered
task only builds the same file again.
"""

from __future__ import annotations

from celery import shared_task

from . import exports


@shared_task(acks_late=True, ignore_result=True)
def build_shortlist_export(export_id: int) -> str:
    """Build shortlist export ``export_id``; returns the outcome for logs and tests."""
    return exports.build(export_id)
