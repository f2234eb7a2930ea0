"""Keeping the index in line with the database, with nothing lost.

- ``record``: called from signals inside the writing transaction; adds outbox rows and, after
  commit, asks a worker to drain.
- ``drain``: bulk-sends the outbox to the engine and deletes rows only once acknowledged.
- ``rebuild``: a new versioned index, bulk loaded with a progress bar, alias swapped atomically.
- ``check`` / ``reconcile``: compare the index with the database and repair the drift.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import engine, loading
from .builders import documents, indexable
from .documents import DOCUMENTS, alias, build_index
from .models import IndexBuild, OutboxEntry

logger = logging.getLogger(__name__)

BATCH = 500


def record(name: str, ids: Iterable[int]) -> None:
    """Note that documents ``ids`` of index ``name`` must be refreshed (same transaction)."""
    rows = [OutboxEntry(index=name, object_id=object_id) for object_id in set(ids) if object_id]
    if not rows:
        return
    OutboxEntry.objects.bulk_create(rows)
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


def ensure_index(name: str) -> str:
    """Create the alias and a first physical index when there is none; returns the alias."""
    target = alias(name)
    if not engine.alias_targets(target):
        physical = f"{target}-{timezone.now():%Y%m%d%H%M%S%f}"
        engine.create_index(build_index(name, physical))
        engine.swap_alias(target, physical)
    return target


def _write_targets(name: str) -> list[str]:
    builds = list(IndexBuild.objects.filter(index=name).values_list("physical_name", flat=True))
    return [alias(name), *builds]


def _actions(name: str, ids: set[int]) -> list[dict]:
    present = dict(documents(name, ids))
    actions = []
    for target in _write_targets(name):
        for object_id in ids:
            if object_id in present:
                actions.append(
                    {
                        "_op_type": "index",
                        "_index": target,
                        "_id": str(object_id),
                        "_source": present[object_id],
                    }
                )
            else:
                actions.append({"_op_type": "delete", "_index": target, "_id": str(object_id)})
    return actions


def _send(actions: list[dict]) -> None:
    _ok, errors = engine.bulk(actions, raise_on_error=False, raise_on_exception=True)
    real = [e for e in errors if e.get("delete", {}).get("status") != 404]
    if real:
        raise RuntimeError(f"the engine refused {len(real)} documents, e.g. {real[0]}")


def drain(limit: int = 10_000) -> int:
    """Send pending outbox rows (at most ``limit``); returns how many rows were settled.

    Rows are locked with SKIP LOCKED, so two workers never send the same rows, and deleted in
    the same transaction only after the bulk request succeeded.
    """
    settled = 0
    for name in DOCUMENTS:
        ensure_index(name)
    while settled < limit:
        with transaction.atomic():
            rows = list(
                OutboxEntry.objects.select_for_update(skip_locked=True).order_by("pk")[:BATCH]
            )
            if not rows:
                break
            by_index: dict[str, set[int]] = {}
            for row in rows:
                by_index.setdefault(row.index, set()).add(row.object_id)
            for name, ids in by_index.items():
                _send(_actions(name, ids))
            OutboxEntry.objects.filter(pk__in=[row.pk for row in rows]).delete()
            settled += len(rows)
    return settled


#: During the load the new index is not refreshed (nobody searches it before the swap); the
#: interval from ``build_index`` is put back before the swap.
_LOADING_SETTINGS = {"index": {"refresh_interval": "-1"}}


def rebuild(name: str, progress: bool = False) -> tuple[str, int]:
    """Build a new physical index from the database and swap the alias to it atomically.

    Searches keep using the old index until the swap. Writes made meanwhile go to both (see
    ``IndexBuild``), so the new index misses nothing. The load itself (``search.loading``)
    builds documents in parallel with the engine's indexing; the new index does not refresh
    until loaded.
    """
    target = alias(name)
    physical = f"{target}-{timezone.now():%Y%m%d%H%M%S%f}"
    index = build_index(name, physical)
    engine.create_index(index)
    build = IndexBuild.objects.create(index=name, physical_name=physical)
    try:
        engine.put_settings(physical, _LOADING_SETTINGS)
        if progress:
            from tqdm import tqdm

            total = indexable(name).count()
            with tqdm(total=total, unit="doc", desc=f"{name} → {physical}") as bar:
                loaded, errors = loading.load(name, physical, bar.update)
        else:
            loaded, errors = loading.load(name, physical)
        if errors:
            raise RuntimeError(f"the engine refused {len(errors)} documents, e.g. {errors[0]}")
        refresh = index.to_dict()["settings"].get("refresh_interval", "1s")
        engine.put_settings(physical, {"index": {"refresh_interval": refresh}})
        engine.refresh(physical)
        old = engine.swap_alias(target, physical)
    except Exception:
        build.delete()
        engine.delete_index(physical)
        raise
    build.delete()
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


def check(name: str) -> Drift:
    """Compare the index with the database: missing, stale (older updated_at), orphaned."""
    expected = {
        pk: updated.isoformat()
        for pk, updated in indexable(name).values_list("pk", "updated_at").iterator()
    }
    drift = Drift()
    seen: set[int] = set()
    for doc_id, source in engine.scan(alias(name), ["updated_at"]):
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
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat(timespec="microseconds")


def reconcile(name: str) -> Drift:
    """Repair drift through the outbox (so a concurrent drain cannot undo the repair)."""
    drift = check(name)
    if drift:
        with transaction.atomic():
            record(name, drift.ids())
    return drift
