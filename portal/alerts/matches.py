"""The new matches of a saved search for its user, computed at send time.

Both kinds ask the same code the pages and the API ask: supplier searches go through
``portal.enterprises.supplier_search`` (the engine, with the release policy's filter inside the
query) and notice searches through ``portal.notices.listing`` (``visible_notices`` + the
list's filters), their text through ``portal.notices.notice_search`` as in the notices
API. Enterprise hits are checked once more in SQL with ``classification.policy``,
so an index that has not caught up with a revoked grant or approval still sends nothing the
user may not see now.

"New" means changed (supplier: released or updated; notice: first published) at or after
``since`` and not yet in the search's ``AlertItem`` ledger. ``since`` reaches back a lookback
window behind the last run (``ALERTS_LOOKBACK``), so an item the index picked up late is
still found; the ledger keeps it from being sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.dateparse import parse_datetime

from classification import policy

from .models import AlertItem, Kind, SavedSearch

#: At most this many items per saved search in one e-mail; the rest come in the next run.
MAX_ITEMS = 50
_PAGE = 100


@dataclass(frozen=True)
class Match:
    """One item as an alert lists it: only fields at the item's own tier."""

    item_type: str
    item_id: int
    title: str
    subtitle: str
    summary: str
    url: str
    deadline: str = ""


def absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def new_matches(saved: SavedSearch, user, since: datetime) -> list[Match]:
    """Items of ``saved`` that ``user`` may see now, new since ``since``, not sent before."""
    item_type = (
        AlertItem.ItemType.ENTERPRISE if saved.kind == Kind.SUPPLIER else AlertItem.ItemType.NOTICE
    )
    sent = set(
        AlertItem.objects.filter(saved_search=saved, item_type=item_type).values_list(
            "item_id", flat=True
        )
    )
    if saved.kind == Kind.SUPPLIER:
        return _suppliers(saved, user, since, sent)
    return _notices(saved, user, since, sent)


def _suppliers(saved: SavedSearch, user, since: datetime, sent: set[int]) -> list[Match]:
    from classification import policy
    from portal.enterprises.models import Enterprise
    from portal.enterprises.supplier_search import supplier_search

    found: list[dict] = []
    page = 1
    while len(found) < MAX_ITEMS:
        # Newest first, so paging stops at the first hit older than ``since``.
        results = supplier_search(
            user, saved.q, saved.filters, sort="updated", page=page, page_size=_PAGE
        )
        older = False
        for hit in results.hits:
            updated = parse_datetime(hit.source.get("updated_at") or "")
            if updated is None or updated < since:
                older = True
                break
            if hit.id not in sent:
                found.append(hit.present())
        if older or page >= results.pages:
            break
        page += 1
    if not found:
        return []
    released = policy.declaration(Enterprise).released()
    allowed = set(
        policy.visible(
            Enterprise.objects.filter(released, pk__in=[item["id"] for item in found]), user
        ).values_list("pk", flat=True)
    )
    return [
        Match(
            item_type=AlertItem.ItemType.ENTERPRISE,
            item_id=item["id"],
            title=item["name"],
            subtitle=" · ".join(
                part
                for part in (
                    item["region"]["name"],
                    "、".join(i["name"] for i in item["industries"][:3]),
                )
                if part
            ),
            summary=item["summary"],
            url=absolute(item["url"]),
        )
        for item in found
        if item["id"] in allowed
    ][:MAX_ITEMS]


def _notices(saved: SavedSearch, user, since: datetime, sent: set[int]) -> list[Match]:
    """The notice list's rule (``visible_notices`` + the saved filters) in SQL; with a ``q``,
    the text match comes from the search service as in the notices API (Chinese-aware), and
    the SQL rule still decides what may be sent (a stale index can drop a hit, never add one).
    """
    from portal.notices.listing import NoticeFilters, visible_notices
    from portal.notices.models import Kind as NoticeKind

    filters = NoticeFilters.from_params(saved.filters)
    queryset = (
        filters.apply(visible_notices(user), user)
        .filter(first_published_at__gte=since)
        .exclude(pk__in=sent)
        .order_by("first_published_at", "pk")
    )
    if saved.q:
        queryset = queryset.filter(pk__in=_searched_notice_ids(saved, user, since))
    matches = []
    for notice in queryset[:MAX_ITEMS]:
        kind = str(NoticeKind(notice.kind).label) if notice.kind in NoticeKind.values else ""
        region = notice.region.full_name if notice.region_id else ""
        deadline = notice.deadline.strftime("%Y-%m-%d") if notice.deadline else ""
        matches.append(
            Match(
                item_type=AlertItem.ItemType.NOTICE,
                item_id=notice.pk,
                title=notice.title,
                subtitle=" · ".join(part for part in (kind, region) if part),
                summary="" if policy.stub_only(user, notice) else notice.summary,
                url=absolute(notice.get_url() or f"/notices/{notice.slug}/"),
                deadline=deadline,
            )
        )
    return matches


def _searched_notice_ids(saved: SavedSearch, user, since: datetime) -> list[int]:
    """Ids of notices matching ``saved.q`` for ``user`` in the engine, published since ``since``
    (newest first, so paging stops at the first older hit)."""
    from portal.notices.notice_search import notice_search

    chosen = {name: [value] for name, value in saved.filters.items() if value}
    ids: list[int] = []
    page = 1
    while len(ids) < _PAGE * 5:
        results = notice_search(user, saved.q, chosen, sort="published", page=page, page_size=_PAGE)
        for hit in results.hits:
            published = parse_datetime(hit.source.get("published_at") or "")
            if published is None or published < since:
                return ids
            ids.append(hit.id)
        if page >= results.pages:
            return ids
        page += 1
    return ids
