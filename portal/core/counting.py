"""How many items a listing has: exact while that is cheap, the planner's estimate beyond.

An exact ``COUNT(*)`` reads every row it counts: a directory of a million visible profiles pays
hundreds of milliseconds for a number people read as "about how many". PostgreSQL's planner
already estimates the rows of the very query the page runs (the release policy's filter
included, so the estimate never counts what the reader may not see); above ``THRESHOLD`` that
estimate, rounded to two significant figures, is shown as "约 12,000" instead. Below it the
count is exact, so small listings and every filtered view that narrows far stay exact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

#: Estimated rows from which a listing shows an estimate instead of counting.
THRESHOLD = 10_000


@dataclass(frozen=True)
class Count:
    value: int
    exact: bool


def estimate(queryset: QuerySet) -> int:
    """The planner's estimate of the rows ``queryset`` returns (no rows are read)."""
    query = queryset.order_by().values("pk")
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # ``none()``, or a filter that can match nothing
        return 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def rounded(value: int) -> int:
    """``value`` to two significant figures (12,345 → 12,000): no false precision."""
    digits = len(str(abs(value)))
    return round(value, -(digits - 2)) if digits > 2 else value


def count(queryset: QuerySet, threshold: int | None = None) -> Count:
    """The number of rows of ``queryset``: exact below ``threshold`` (default ``THRESHOLD``),
    else estimated."""
    if connections[queryset.db].vendor != "postgresql":
        return Count(queryset.count(), True)
    guess = estimate(queryset)
    if guess < (THRESHOLD if threshold is None else threshold):
        return Count(queryset.count(), True)
    return Count(rounded(guess), False)


class EstimatingPaginator(Paginator):
    """A paginator whose total is ``count``'s: ``count_exact`` tells the template whether to
    say "约". Past the estimated end a page is simply empty, as a listing that shrank is."""

    @cached_property
    def counted(self) -> Count:
        return count(self.object_list)

    @cached_property
    def count(self) -> int:
        return self.counted.value

    @property
    def count_exact(self) -> bool:
        return self.counted.exact

    @property
    def count_display(self) -> str:
        """The total with thousands separators, for the "约 …" line."""
        return f"{self.counted.value:,}"
