"""Celery tasks of the registry (on the ``search`` queue: they only feed the index)."""

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
