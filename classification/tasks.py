"""Periodic work of the policy: remove grants that expired.

The policy needs no task to honour an expiry (it compares with the database's ``now()``);
this removes the expired rows so that django-guardian's own checker, the officers' release
pages and the search index's ``grants`` agree with it.
"""

from __future__ import annotations

from celery import shared_task

from . import changes


@shared_task(name="classification.expire_grants", acks_late=True)
def expire_grants() -> int:
    return changes.expire()
