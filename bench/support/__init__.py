"""Shared set-up of the benchmarks: Django from the environment that `make bench` prepares,
and the 100,000-enterprise data set (created once per bench database, reused by each bench)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LARGE = 100_000


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
    import django

    django.setup()


def ensure_enterprises(count: int = LARGE) -> int:
    """Make sure ``count`` approved enterprises exist (seed_demo's bulk path), return the total."""
    from django.core.management import call_command
    from django.db import connection

    from portal.enterprises.models import Enterprise

    have = Enterprise.objects.count()
    if have < count:
        started = time.perf_counter()
        call_command("seed_demo", enterprises=count, verbosity=0)
        print(
            f"  seeded {Enterprise.objects.count():,} enterprises in "
            f"{time.perf_counter() - started:.1f} s"
        )
        # Statistics and visibility map as autovacuum keeps them in production, and no
        # autovacuum of the new rows running beside the timed rounds (bench/scale.py does too).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Enterprise.objects.count()


def timed(function: Callable[[], object], repeat: int = 7) -> list[float]:
    """Wall times in milliseconds of ``repeat`` runs after one warm-up run."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def worst(values: list[float]) -> float:
    """The slowest of the runs: what a target is judged on, not the best or the typical run."""
    return max(values)


def settle_engine(timeout: float = 300.0) -> float:
    """Wait until the engine has no merge running (the last bulk load's merges go on for a
    while after it answered) so that each timed phase starts on an idle engine; returns the
    seconds waited. Every timed indexing phase calls this first, the baseline's too."""
    from search import engine

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        stats = engine.client().indices.stats(metric="merge", request_timeout=60)
        # No index yet: no "merges" section at all, and nothing to wait for.
        if stats["_all"]["total"].get("merges", {}).get("current", 0) == 0:
            break
        time.sleep(1)
    return time.monotonic() - started
