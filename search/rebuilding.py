"""Whether a full rebuild (``search_index --rebuild``) is running: a cheap flag for a banner.

A rebuild is tracked by its ``IndexBuild`` row, which lives exactly as long as the build (the
drain writes to both indices meanwhile). Search pages ask on every request, so the answer is
kept in the cache for ``TTL`` seconds, and ``rebuild`` refreshes it when it starts and ends: a
shared cache (Redis in production) shows the banner at once; a process-local cache within TTL.
A build row older than ``ABANDONED_AFTER`` belongs to a rebuild that was killed, not one that
is running, and raises no banner.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from .models import IndexBuild

CACHE_KEY = "search:rebuilding"
TTL = 30
ABANDONED_AFTER = timedelta(hours=6)


def _running() -> list[str]:
    since = timezone.now() - ABANDONED_AFTER
    names = IndexBuild.objects.filter(started_at__gte=since).values_list("index", flat=True)
    return sorted(set(names))


def rebuilding() -> list[str]:
    """Names of the indices being rebuilt now (empty: none), read from the cache."""
    names = cache.get(CACHE_KEY)
    if names is None:
        names = _running()
        cache.set(CACHE_KEY, names, TTL)
    return names


def changed() -> None:
    """Called by ``indexing.rebuild`` as a build starts and ends."""
    cache.set(CACHE_KEY, _running(), TTL)
