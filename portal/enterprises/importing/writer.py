"""Write an import's new and changed profiles in bulk, inside the caller's transaction.

``apply_snapshot`` saves one profile with about fifteen queries; at 10,000 rows that is far over the
minute an import of that size may take. Here every table gets one delete and one COPY of its new
rows (``copying``; the benchmarks' million-profile registry is seeded through here too),
and each written profile gets an approved ``EnterpriseVersion`` holding the same snapshot, so that
the reviewer's diff of a later change has a baseline. Signals do not fire for bulk writes, so the
search outbox is told explicitly.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils import timezone

from ..models import Enterprise, EnterpriseVersion, Source, Status, VersionState
from ..snapshots import LISTS, ROW_FIELDS, item_values, set_profile_fields
from .copying import copy_rows, copy_values
from .progress import NoProgress, Progress

BATCH = 1000
#: The enterprise columns an import overwrites (the credit code identifies the row).
_UPDATE_FIELDS = [spec.attname for spec in ROW_FIELDS if spec.name != "uscc"]


def _items(enterprise_id: int, data: dict[str, Any]) -> dict[type, list[dict[str, Any]]]:
    return {
        spec.model: item_values(spec, enterprise_id, data.get(spec.name) or [])
        for spec in LISTS.values()
    }


def write(
    created: list[dict[str, Any]],
    updated: list[tuple[Enterprise, dict[str, Any]]],
    user=None,
    progress: Progress | None = None,
) -> list[int]:
    """Insert ``created`` snapshots and overwrite ``updated`` profiles; returns their ids."""
    progress = progress or NoProgress()
    now = timezone.now()
    progress.start("写入 writing", len(created) + len(updated))
    new_rows = [
        set_profile_fields(
            Enterprise(
                status=Status.APPROVED, source=Source.IMPORTED, approved_at=now, confirmed_at=now
            ),
            data,
        )
        for data in created
    ]
    for start in range(0, len(new_rows), BATCH):
        copy_rows(new_rows[start : start + BATCH])
        progress.advance(len(new_rows[start : start + BATCH]))
    for enterprise, data in updated:
        set_profile_fields(enterprise, data)
        enterprise.updated_at = now
        enterprise.status = Status.APPROVED
    changed = [enterprise for enterprise, _data in updated]
    for start in range(0, len(changed), BATCH):
        Enterprise.objects.bulk_update(
            changed[start : start + BATCH], [*_UPDATE_FIELDS, "updated_at", "status"]
        )
        progress.advance(len(changed[start : start + BATCH]))
    progress.finish()

    pairs = [(row, data) for row, data in zip(new_rows, created, strict=True)] + updated
    changed_ids = [enterprise.pk for enterprise in changed]
    if changed_ids:
        Enterprise.industries.through.objects.filter(enterprise_id__in=changed_ids).delete()
        for spec in LISTS.values():
            spec.model.objects.filter(enterprise_id__in=changed_ids).delete()
    links, items = [], {}
    for enterprise, data in pairs:
        links += [
            {"enterprise_id": enterprise.pk, "industry_id": code}
            for code in data.get("industries") or []
        ]
        for model, rows in _items(enterprise.pk, data).items():
            items.setdefault(model, []).extend(rows)
    copy_values(Enterprise.industries.through, links)
    for model, rows in items.items():
        copy_values(model, rows)

    top = (
        dict(
            EnterpriseVersion.objects.filter(enterprise_id__in=changed_ids)
            .values_list("enterprise_id")
            .annotate(top=Max("number"))
        )
        if changed_ids
        else {}
    )
    user_id = user.pk if user is not None else None
    copy_values(
        EnterpriseVersion,
        [
            {
                "enterprise_id": enterprise.pk,
                "number": top.get(enterprise.pk, 0) + 1,
                "state": VersionState.APPROVED,
                "data": data,
                "created_by_id": user_id,
                "decided_by_id": user_id,
                "decided_at": now,
            }
            for enterprise, data in pairs
        ],
    )
    ids = [enterprise.pk for enterprise, _data in pairs]
    mark_for_indexing(ids)
    return ids


def mark_for_indexing(ids: list[int]) -> None:
    """Queue search updates; bulk writes bypass the signals that normally do it."""
    from search import indexing

    from ..search_indexes import SUPPLIERS

    for start in range(0, len(ids), 5000):
        indexing.record(SUPPLIERS, ids[start : start + 5000])
