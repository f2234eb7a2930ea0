"""Celery tasks of statistics: the yearly report, built on the "pdf" queue.

Takes the report row's primary key, acknowledges late; idempotent (a repeated run counts and
lays out the same report again and stores it under the same fingerprint).
"""

from __future__ import annotations

from celery import shared_task

from . import report_builds


@shared_task(acks_late=True, ignore_result=True)
def build_yearly_report(report_id: int) -> str:
    """Build yearly report ``report_id``; returns the outcome for logs and tests."""
    return report_builds.build(report_id)
