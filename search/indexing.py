"""Keeping the indices in line with the database, with nothing lost.

- ``record``: called from signals inside the writing transaction; upserts one outbox row per
  document and, after commit, asks a worker to drain. ``held`` gathers the records of a bulk
  write (a profile and all its list items) into one upsert.
- ``drain``: claims rows, builds and sends their documents in one bulk request outside any
  transaction, and deletes a row only if nobody recorded it again meanwhile.
- ``ensure``: creates an index's alias and first physical index (at deploy, by
  ``search_index --ensure``; never on the drain's path).
- ``rebuild``: a new versioned index, bulk loaded with a progress bar, alias swapped atomically.
- ``check`` / ``reconcile``: compare an index with the database and repair the drift.

Functions take a registered ``SearchIndex`` (or its name, for the command line and tests).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from . import engine, loading, rebuilding, registry
from .documents import build_index, design
from .models import IndexBuild, OutboxEntry
from .registry import SearchIndex

logger = logging.getLogger(__name__)

BATCH = 500

IndexRef = SearchIndex | str

#: Sent inside the writing transaction whenever documents are recorded (``index``: the index
#: name, ``ids``: the object ids). Other journals of "what changed" (the agencies' change feed)
#: listen here, so that they follow exactly the changes the indices follow.
documents_recorded = Signal()

#: Records gathered by ``held`` (index name -> ids), or None outside it.
_held: ContextVar[dict[str, set[int]] | None] = ContextVar("search_held", default=None)


def record(index: IndexRef, ids: Iterable[int]) -> None:
    """Note that documents ``ids`` of ``index`` must be refreshed (same transaction)."""
    name = registry.get(index).name
    wanted = {object_id for object_id in ids if object_id}
    if not wanted:
        return
    gathered = _held.get()
    if gathered is not None:
        gathered.setdefault(name, set()).update(wanted)
        return
    _upsert(name, wanted)


@contextmanager
def held() -> Iterator[None]:
    """Gather every ``record`` made inside into one upsert at the end (nested: the outermost
    writes). For writers that touch one document through many rows, such as a profile whose
    lists are replaced: one outbox write instead of one per item."""
    if _held.get() is not None:
        yield
        return
    token = _held.set({})
    try:
        yield
        gathered = _held.get() or {}
    finally:
        _held.reset(token)
    for name, ids in gathered.items():
        _upsert(name, ids)


def _upsert(name: str, ids: set[int]) -> None:
    stamp = uuid.uuid4()
    OutboxEntry.objects.bulk_create(
        # Sorted, so that two transactions recording the same documents lock them in one order.
        [OutboxEntry(index=name, object_id=object_id, stamp=stamp) for object_id in sorted(ids)],
        update_conflicts=True,
        unique_fields=["index", "object_id"],
        update_fields=["stamp"],
    )
    documents_recorded.send(sender=OutboxEntry, index=name, ids=sorted(ids))
    connection = transaction.get_connection()
    # One drain per transaction is enough, however many records it writes.
    if not any(callback is _schedule_drain for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(_schedule_drain)


def _schedule_drain() -> None:
    from .tasks import drain_outbox

    try:
        drain_outbox.delay()
    except Exception:  # the broker is down: the periodic drain picks the rows up later
        logger.warning("could not queue the outbox drain; the periodic run will catch up")


def ensure(index: IndexRef) -> str:
    """Create the alias and a first physical index when there is none, or rebuild the index
    when its design (mapping, analysis, synonyms) is not the code's any more; returns the
    alias. Run at every deploy, so a release that changes the analysis takes effect with it."""
    index = registry.get(index)
    physical = f"{index.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
    built = build_index(index, physical)
    if not engine.alias_targets(index.alias):
        engine.create_index(built)
        engine.swap_alias(index.alias, physical)
    elif engine.mapping_meta(index.alias).get("design") != design(built):
        logger.info("search index %s: design changed, rebuilding", index.name)
        rebuild(index)
    else:  # a cluster that grew (or shrank) keeps its indices and changes their copies
        replicas = {"index": {"number_of_replicas": settings.SEARCH_REPLICAS}}
        engine.put_settings(index.alias, replicas)
    return index.alias


@dataclass
class Claimed:
    """Outbox rows one drain holds: row id and stamp per (index name, object id)."""

    rows: dict[tuple[str, int], tuple[int, uuid.UUID]]

    def by_index(self) -> dict[str, set[int]]:
        grouped: dict[str, set[int]] = {}
        for name, object_id in self.rows:
            grouped.setdefault(name, set()).add(object_id)
        return grouped


def _claim(now: datetime) -> Claimed:
    with transaction.atomic():
        rows = list(
            OutboxEntry.objects.select_for_update(skip_locked=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("pk")
            .values_list("pk", "index", "object_id", "stamp")[:BATCH]
        )
        OutboxEntry.objects.filter(pk__in=[row[0] for row in rows]).update(
            claimed_until=now + settings.SEARCH_OUTBOX_LEASE
        )
    return Claimed({(name, object_id): (pk, stamp) for pk, name, object_id, stamp in rows})


def _settle(claimed: Claimed, sent: bool) -> int:
    """After sending: delete the rows nobody recorded again meanwhile (their stamp is the one
    claimed) and hand the others back; after a failure: hand every row back."""
    done = 0
    with transaction.atomic():
        current = dict(
            OutboxEntry.objects.select_for_update()
            .filter(pk__in=[pk for pk, _stamp in claimed.rows.values()])
            .values_list("pk", "stamp")
        )
        unchanged = [pk for pk, stamp in claimed.rows.values() if sent and current.get(pk) == stamp]
        if unchanged:
            done = OutboxEntry.objects.filter(pk__in=unchanged).delete()[0]
        again = set(current) - set(unchanged)
        if again:
            OutboxEntry.objects.filter(pk__in=again).update(claimed_until=None)
    return done


def _write_targets(index: SearchIndex) -> list[str]:
    builds = IndexBuild.objects.filter(index=index.name).values_list("physical_name", flat=True)
    return [index.alias, *builds]


def _send(claimed: Claimed) -> None:
    """One bulk request for every claimed document: built fresh from the database (indexed) or
    no longer indexable (deleted), to the alias and to any index being rebuilt."""
    body = b""
    for name, ids in claimed.by_index().items():
        index = registry.get(name)
        present = dict(index.build(sorted(ids)))
        gone = sorted(ids - set(present))
        for target in _write_targets(index):
            _count, indexed = engine.index_body(
                target, present.items(), require_alias=target == index.alias
            )
            body += indexed + engine.delete_body(target, gone)
    refused = [
        item
        for item in engine.bulk_body(body)
        if item.get("delete", {}).get("status") != 404  # deleting what is not there is done
    ]
    if refused:
        hint = ""
        if "index_not_found" in str(refused[0]):
            hint = " (the index was never created: run `manage.py search_index --ensure`)"
        raise RuntimeError(f"the engine refused {len(refused)} documents, e.g. {refused[0]}{hint}")


def drain(limit: int = 10_000) -> int:
    """Send pending outbox rows (at most about ``limit``); returns how many were settled.

    Rows are claimed in a short transaction (SKIP LOCKED: two drains never take the same
    rows), sent with no transaction open, and settled in another short one. A record made
    while a row was being sent keeps the row, which the next round sends again.
    """
    settled = 0
    rounds = 0
    # Bounded in rounds too: rows recorded again on every round must not keep one drain busy.
    while settled < limit and rounds <= limit // BATCH:
        rounds += 1
        claimed = _claim(timezone.now())
        if not claimed.rows:
            break
        try:
            _send(claimed)
        except BaseException:
            _settle(claimed, sent=False)
            raise
        settled += _settle(claimed, sent=True)
    return settled


#: During the load the new index is not refreshed (nobody searches it before the swap) and has
#: no replicas (a cluster would index every document twice); the interval and replicas from
#: ``build_index`` are put back before the swap, and the replicas copied as whole segments.
_LOADING_SETTINGS = {"index": {"refresh_interval": "-1", "number_of_replicas": 0}}


def rebuild(index: IndexRef, progress: bool = False) -> tuple[str, int]:
    """Build a new physical index from the database and swap the alias to it atomically.

    Searches keep using the old index until the swap. Writes made meanwhile go to both (see
    ``IndexBuild``), so the new index misses nothing. The load itself (``search.loading``)
    builds documents in parallel with the engine's indexing; the new index does not refresh
    until loaded.
    """
    index = registry.get(index)
    physical = f"{index.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
    built = build_index(index, physical)
    engine.create_index(built)
    build = IndexBuild.objects.create(index=index.name, physical_name=physical)
    rebuilding.changed()  # the search pages' banner
    try:
        engine.put_settings(physical, _LOADING_SETTINGS)
        if progress:
            from tqdm import tqdm

            total = index.indexable().count()
            with tqdm(total=total, unit="doc", desc=f"{index.name} → {physical}") as bar:
                loaded, errors = loading.load(index, physical, bar.update)
        else:
            loaded, errors = loading.load(index, physical)
        if errors:
            raise RuntimeError(f"the engine refused {len(errors)} documents, e.g. {errors[0]}")
        serving = built.to_dict()["settings"]
        engine.put_settings(
            physical,
            {
                "index": {
                    "refresh_interval": serving.get("refresh_interval", "1s"),
                    "number_of_replicas": serving.get("number_of_replicas", 0),
                }
            },
        )
        engine.refresh(physical)
        # The old index is deleted after the swap: the new one must not depend on one node.
        if not engine.wait_for_copies(physical):
            logger.warning("search index %s: swapped before all its replicas started", physical)
        old = engine.swap_alias(index.alias, physical)
    except Exception:
        build.delete()
        rebuilding.changed()
        engine.delete_index(physical)
        raise
    build.delete()
    rebuilding.changed()
    for old_index in old:
        engine.delete_index(old_index)
    return physical, loaded


@dataclass
class Drift:
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.orphaned)

    def ids(self) -> set[int]:
        return set(self.missing) | set(self.stale) | set(self.orphaned)


def check(index: IndexRef) -> Drift:
    """Compare the index with the database: missing, stale (older updated_at), orphaned."""
    index = registry.get(index)
    expected = {
        pk: updated.isoformat()
        for pk, updated in index.indexable().values_list("pk", "updated_at").iterator()
    }
    drift = Drift()
    seen: set[int] = set()
    for doc_id, source in engine.scan(index.alias, ["updated_at"]):
        object_id = int(doc_id)
        seen.add(object_id)
        if object_id not in expected:
            drift.orphaned.append(object_id)
        elif _timestamp(source.get("updated_at")) != _timestamp(expected[object_id]):
            drift.stale.append(object_id)
    drift.missing = sorted(set(expected) - seen)
    return drift


def _timestamp(value: str | None) -> str:
    """ISO timestamps compared at microsecond precision, whatever offset notation was used."""
    if not value:
        return ""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat(timespec="microseconds")


def reconcile(index: IndexRef) -> Drift:
    """Repair drift through the outbox (so a concurrent drain cannot undo the repair)."""
    drift = check(index)
    if drift:
        with transaction.atomic():
            record(index, drift.ids())
    return drift
