"""Celery tasks of the registry: index upkeep (``search`` queue) and the yearly confirmation's
reminders (``default`` queue; the mail itself goes through the ``mail`` queue)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from search import indexing

from .models import Qualification
from .search_indexes import SUPPLIERS


@shared_task(acks_late=True)
def reindex_changed_qualifications() -> int:
    """Daily: profiles whose qualification expired yesterday or starts today change facets."""
    today = timezone.localdate()
    ids = set(
        Qualification.objects.filter(valid_until=today - timedelta(days=1)).values_list(
            "enterprise_id", flat=True
        )
    ) | set(Qualification.objects.filter(valid_from=today).values_list("enterprise_id", flat=True))
    with transaction.atomic():
        indexing.record(SUPPLIERS, ids)
    return len(ids)


@shared_task(acks_late=True)
def remind_confirmations() -> int:
    """Daily: e-mail the owners of profiles due for their yearly confirmation (once a cycle)."""
    from . import confirmation

    return confirmation.send_reminders()
