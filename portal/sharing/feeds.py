"""The agencies' change feeds: ``/api/v1/sharing/<feed>/changes/?since=CURSOR``.

Each page is the next settled rows of the journal after the cursor, each rendered at the
client's tier ceiling through the release policy: a record the client's service account may
see is an ``upsert`` with exactly the fields a person of that tier reads (``redaction``); a
record that has left its view is a ``delete`` if it was ever sent at a tier the client reads,
and is skipped otherwise (so that a feed never names a record its reader could not know of).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from classification import policy
from classification.tiers import rank
from portal.core.clients import client_address

from . import journal
from .models import Change, Exchange, SharingClient
from .oauth import ClientView

#: Records per page: the default and the most a client may ask for.
PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Feed:
    """What one feed shares: its records, how each is keyed and rendered, the scope it needs."""

    name: str
    scope: str
    key_name: str
    queryset: Callable[[], QuerySet]
    key: Callable[[Model], str]
    render: Callable[[Model, Any], dict[str, Any]]


def _enterprises() -> QuerySet:
    from portal.enterprises.fields import LIST_NAMES
    from portal.enterprises.models import Enterprise

    return Enterprise.objects.select_related("region", "region__parent").prefetch_related(
        "industries", *LIST_NAMES
    )


def _render_enterprise(enterprise, user) -> dict[str, Any]:
    from portal.enterprises.api.views import enterprise_dict

    return enterprise_dict(enterprise, user)


def _notices() -> QuerySet:
    from portal.notices.models import NoticePage

    return NoticePage.objects.live().select_related("region").prefetch_related("industries")


def _render_notice(notice, user) -> dict[str, Any]:
    from portal.notices.presentation import detail_data

    return detail_data(notice, user)


FEEDS = {
    "enterprises": Feed(
        "enterprises",
        "enterprises:read",
        "uscc",
        _enterprises,
        lambda e: e.uscc,
        _render_enterprise,
    ),
    "notices": Feed("notices", "notices:read", "id", _notices, lambda n: str(n.pk), _render_notice),
}


def page_size(request: Request) -> int:
    raw = request.query_params.get("limit", "")
    if raw == "":
        return PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise exceptions.ValidationError(
            {"limit": [_("A whole number from 1 to %(most)d.") % {"most": MAX_PAGE_SIZE}]}
        )
    return int(raw)


def changes(feed: Feed, client: SharingClient, after: journal.Cursor | None, limit: int) -> dict:
    """The next page of ``feed`` for ``client``: results, the cursor to resume from, more?"""
    rows, has_more = journal.read(feed.name, after, limit)
    user = client.service_user
    policy.forget(user)
    ids = [row.object_id for row in rows]
    allowed = policy.visible_up_to(feed.queryset(), user, client.ceiling)
    visible = {obj.pk: obj for obj in allowed.filter(pk__in=ids)}
    ceiling = rank(client.ceiling)
    results: list[dict[str, Any]] = []
    sent: dict[int, tuple[str, int]] = {}
    for row in rows:
        obj = visible.get(row.object_id)
        changed_at = timezone.localtime(row.changed_at).isoformat()
        if obj is not None:
            key = feed.key(obj)
            results.append(
                {
                    feed.key_name: key,
                    "op": "upsert",
                    "changed_at": changed_at,
                    "record": feed.render(obj, user),
                }
            )
            sent[row.object_id] = (key, rank(obj.tier))
        elif row.seen_rank is not None and row.seen_rank <= ceiling and row.key:
            results.append({feed.key_name: row.key, "op": "delete", "changed_at": changed_at})
    _remember(rows, sent)
    last = rows[-1] if rows else None
    next_cursor = (
        str(journal.Cursor(last.position, last.object_id))
        if last
        else (str(after) if after else "")
    )
    return {"results": results, "next_cursor": next_cursor, "has_more": has_more}


def _remember(rows: list[Change], sent: dict[int, tuple[str, int]]) -> None:
    """Note each sent record's key and the lowest tier rank it was sent at (``sent``: object id
    -> (key, rank)), so that a later ``delete`` reaches exactly those who may have seen it."""
    stale = []
    for row in rows:
        if row.object_id not in sent:
            continue
        key, tier_rank = sent[row.object_id]
        lowest = tier_rank if row.seen_rank is None else min(row.seen_rank, tier_rank)
        if row.key != key or row.seen_rank != lowest:
            row.key, row.seen_rank = key, lowest
            stale.append(row)
    # Only these two columns: the row's position belongs to the writers.
    Change.objects.bulk_update(stale, ["key", "seen_rank"], batch_size=500)


class FeedView(ClientView):
    """A view of one feed (``as_view(feed=…)``); the feed's scope opens it."""

    feed: Feed = FEEDS["enterprises"]

    @property
    def required_scope(self) -> str:
        return self.feed.scope


class ChangesView(FeedView):
    """One feed's changes after a cursor, at the client's tier ceiling."""

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.STR, description="a next_cursor from before"),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1-{MAX_PAGE_SIZE}"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        try:
            after = journal.Cursor.parse(request.query_params.get("since"))
        except journal.CursorError as error:
            raise exceptions.ValidationError(
                {"since": [_("Not a cursor of this feed: pass a next_cursor you received.")]}
            ) from error
        limit = page_size(request)
        client: SharingClient = request.sharing_client
        page = changes(self.feed, client, after, limit)
        Exchange.objects.create(
            client=client,
            direction=Exchange.Direction.PULL,
            endpoint=request.path,
            record_count=len(page["results"]),
            cursor_from=str(after) if after else "",
            cursor_to=page["next_cursor"],
            address=client_address(request) or None,
        )
        return Response(page, headers={"Cache-Control": "private, no-store"})


#: Records rendered per database round trip in a snapshot.
SNAPSHOT_CHUNK = 500


def snapshot_lines(feed: Feed, client: SharingClient, endpoint: str, address: str | None):
    """A whole feed as JSON Lines for a first load: one upsert per record the client may see,
    then ``{"next_cursor": …, "count": …}`` to follow the feed from. The cursor is taken first,
    so whatever changes while the lines are written comes again through the feed."""
    start = journal.here(feed.name)
    user = client.service_user
    policy.forget(user)
    visible = policy.visible_up_to(feed.queryset(), user, client.ceiling)
    count, last_pk = 0, 0
    while True:
        chunk = list(visible.filter(pk__gt=last_pk).order_by("pk")[:SNAPSHOT_CHUNK])
        if not chunk:
            break
        last_pk = chunk[-1].pk
        sent = {}
        for obj in chunk:
            key = feed.key(obj)
            sent[obj.pk] = (key, rank(obj.tier))
            line = {feed.key_name: key, "op": "upsert", "record": feed.render(obj, user)}
            yield json.dumps(line, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"
        _remember(list(Change.objects.filter(feed=feed.name, object_id__in=list(sent))), sent)
        count += len(chunk)
    Exchange.objects.create(
        client=client,
        direction=Exchange.Direction.PULL,
        endpoint=endpoint,
        record_count=count,
        cursor_to=str(start),
        address=address,
    )
    yield json.dumps({"next_cursor": str(start), "count": count}) + "\n"


class SnapshotView(FeedView):
    """Every record of one feed the client may see, as JSON Lines (a first load)."""

    @extend_schema(responses={(200, "application/x-ndjson"): OpenApiTypes.STR})
    def get(self, request: Request) -> StreamingHttpResponse:
        lines = snapshot_lines(
            self.feed, request.sharing_client, request.path, client_address(request) or None
        )
        response = StreamingHttpResponse(lines, content_type="application/x-ndjson")
        response["Cache-Control"] = "private, no-store"
        return response


def view_for(name: str, snapshot: bool = False):
    return (SnapshotView if snapshot else ChangesView).as_view(feed=FEEDS[name])
