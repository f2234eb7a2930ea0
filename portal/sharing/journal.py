"""The change journal behind the agencies' feeds: which records changed, in commit order.

``record`` runs inside the writing transaction (the search outbox's ``documents_recorded``
signal), so the journal follows exactly the changes that the indices follow: saves, workflow
steps, imports, release changes. ``read`` returns the rows after a cursor that no running
transaction can still add to (see ``Change``), which is what makes a cursor safe to keep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, Func, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from .models import Change

#: The feeds and the search indices whose changes they follow.
FEEDS = ("enterprises", "notices")

#: The largest object id a cursor can name: "after every row at this position".
LAST_ID = 2**63 - 1

_CURSOR = re.compile(r"^(\d{1,19})\.(\d{1,19})$")

_UPSERT_POSTGRESQL = """
INSERT INTO sharing_change (feed, object_id, position, changed_at, key)
SELECT %s, object_id, pg_current_xact_id()::text::bigint, statement_timestamp(), ''
FROM unnest(%s::bigint[]) AS object_id
ON CONFLICT (feed, object_id)
DO UPDATE SET position = EXCLUDED.position, changed_at = EXCLUDED.changed_at
"""
# SQLite runs one writer at a time, so "one more than the largest" is commit order.
_UPSERT_SQLITE = """
INSERT INTO sharing_change (feed, object_id, position, changed_at, key)
VALUES (%s, %s, (SELECT COALESCE(MAX(position), 0) + 1 FROM sharing_change), %s, '')
ON CONFLICT (feed, object_id)
DO UPDATE SET position = excluded.position, changed_at = excluded.changed_at
"""


class CursorError(ValueError):
    """A ``since`` value that is not a cursor this feed handed out."""


@dataclass(frozen=True, order=True)
class Cursor:
    """A place in a feed: after the row (``position``, ``object_id``)."""

    position: int
    object_id: int

    def __str__(self) -> str:
        return f"{self.position}.{self.object_id}"

    @classmethod
    def parse(cls, value: str | None) -> Cursor | None:
        if value is None or value == "":
            return None
        match = _CURSOR.match(value.strip())
        if match is None:
            raise CursorError(value)
        position, object_id = (int(part) for part in match.groups())
        if position >= 2**63 or object_id >= 2**63:
            raise CursorError(value)
        return cls(position, object_id)


def record(feed: str, ids: list[int]) -> None:
    """Note that records ``ids`` of ``feed`` changed (call inside the writing transaction)."""
    wanted = sorted({int(object_id) for object_id in ids if object_id})
    if not wanted:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_UPSERT_POSTGRESQL, [feed, wanted])
        else:
            now = timezone.now()
            cursor.executemany(_UPSERT_SQLITE, [(feed, object_id, now) for object_id in wanted])


def on_documents_recorded(sender, index: str, ids: list[int], **kwargs) -> None:
    if index in FEEDS:
        record(index, ids)


def settled(queryset: QuerySet[Change]) -> QuerySet[Change]:
    """Only the rows no running transaction can still change or add before."""
    if connection.vendor == "postgresql":
        # Rows below the oldest running transaction come from finished ones only.
        return queryset.filter(position__lt=_oldest_running())
    return queryset


def _oldest_running():
    """The oldest transaction still running, as a number (PostgreSQL)."""
    oldest_running = Func(Func(function="pg_current_snapshot"), function="pg_snapshot_xmin")
    return Cast(Cast(oldest_running, TextField()), BigIntegerField())


def here(feed: str) -> Cursor:
    """A cursor at "now": every change settled before it is in what is read afterwards, and
    every later one comes after it (a snapshot's starting point for the feed)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            (oldest,) = cursor.fetchone()
        return Cursor(oldest - 1, LAST_ID)
    top = Change.objects.filter(feed=feed).order_by("-position").values_list("position", flat=True)
    return Cursor(top.first() or 0, LAST_ID)


def read(feed: str, after: Cursor | None, limit: int) -> tuple[list[Change], bool]:
    """Up to ``limit`` settled rows of ``feed`` after ``after``, and whether more follow."""
    rows = settled(Change.objects.filter(feed=feed))
    if after is not None:
        rows = rows.filter(
            Q(position__gt=after.position)
            | Q(position=after.position, object_id__gt=after.object_id)
        )
    page = list(rows.order_by("position", "object_id")[: limit + 1])
    return page[:limit], len(page) > limit


def backfill(feed: str, ids: list[int]) -> None:
    """Journal rows at position 0 for records that existed before the journal (a migration)."""
    now = timezone.now()
    Change.objects.bulk_create(
        [Change(feed=feed, object_id=pk, position=0, changed_at=now) for pk in ids],
        ignore_conflicts=True,
        batch_size=2000,
    )
