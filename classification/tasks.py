"""Periodic work of the policy: tidy up after grants that expired.

The policy needs no task to honour an expiry (it compares with the database's ``now()``);
this only keeps guardian's mirror and the search index's ``grants`` in step.
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import changes

#: The window looked at; wider than the schedule's interval so that a late run misses nothing.
WINDOW = timedelta(hours=2)


@shared_task(name="classification.expire_grants", acks_late=True)
def expire_grants() -> int:
    return changes.expire(since=timezone.now() - WINDOW)
