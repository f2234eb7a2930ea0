"""The agencies' feed at scale: a full first load of the 100,000-enterprise data set through the
change feed (pages of 1,000) and through the JSON Lines snapshot, then an incremental pull
after 1,000 changes. Pages per second and records per second, each against a plain ``SELECT``
of the same rows measured in the same run (what the database alone costs). Requests go through
Django's test client in this process: the view, the policy, the redaction and the JSON, without
a network or a web server in between. Worst of three runs."""

from __future__ import annotations

import time

from support import ensure_enterprises, setup_django, worst

setup_django()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from portal.enterprises.models import Enterprise  # noqa: E402
from portal.enterprises.search_indexes import SUPPLIERS  # noqa: E402
from portal.sharing import clients, journal  # noqa: E402
from portal.sharing.models import SharingClient  # noqa: E402
from search import indexing  # noqa: E402

PAGE = 1000
CHANGES = 1000
RUNS = 3
FEED = "/api/v1/sharing/enterprises/changes/"


def agency() -> tuple[Client, str]:
    """A vetted client with a token (made once per bench database)."""
    client = SharingClient.objects.filter(name="bench-agency").first()
    if client is not None:
        clients.revoke(client)
        client.delete()
    made, secret = clients.register("bench-agency", "bench", "vetted", "enterprises:read")
    http = Client()
    answer = http.post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(made.client_id, secret),
    ).json()
    return http, answer["access_token"]


def basic(client_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def pull_all(http: Client, token: str, since: str | None = None) -> tuple[int, int, str]:
    """Every page after ``since``: (pages, records, last cursor)."""
    pages = records = 0
    while True:
        params = {"limit": PAGE, **({"since": since} if since else {})}
        answer = http.get(FEED, params, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert answer.status_code == 200, answer.content[:300]
        body = answer.json()
        pages, records, since = pages + 1, records + len(body["results"]), body["next_cursor"]
        if not body["has_more"]:
            return pages, records, since


def snapshot(http: Client, token: str) -> int:
    answer = http.get("/api/v1/sharing/enterprises/snapshot/", HTTP_AUTHORIZATION=f"Bearer {token}")
    return sum(chunk.count(b"\n") for chunk in answer.streaming_content) - 1


def plain_select(ids: list[int] | None = None) -> int:
    """The same rows straight from the table: what the feed's database work cannot beat."""
    sql = "SELECT * FROM enterprises_enterprise WHERE status = 'approved'"
    params: list = []
    if ids is not None:
        sql += " AND id = ANY(%s)"
        params.append(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql + " AND tier IN ('public', 'registered', 'vetted')", params)
        return len(cursor.fetchall())


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main() -> None:
    total = ensure_enterprises()
    # Rows written around the signals (another bench's bulk inserts) join the journal here, as
    # the migration journals the registry it finds.
    journal.backfill("enterprises", list(Enterprise.objects.values_list("pk", flat=True)))
    http, token = agency()
    print(f"sharing feed over {total:,} enterprises (vetted client, pages of {PAGE:,})")

    loads, snapshots, selects = [], [], []
    for _ in range(RUNS):
        seconds, (pages, records, cursor) = timed(lambda: pull_all(http, token))
        loads.append((seconds, pages, records))
        seconds, lines = timed(lambda: snapshot(http, token))
        snapshots.append((seconds, lines))
        selects.append(timed(plain_select))
    load_s, pages, records = max(loads)
    snap_s, lines = max(snapshots)
    select_s, rows = max(selects)
    print(
        f"  first load through the feed: {records:,} records in {pages} pages, {load_s:.1f} s "
        f"(worst of {RUNS}): {pages / load_s:.1f} pages/s, {records / load_s:,.0f} records/s"
    )
    print(
        f"  first load as a snapshot:    {lines:,} records, {snap_s:.1f} s: "
        f"{lines / snap_s:,.0f} records/s"
    )
    print(
        f"  plain SELECT of the same rows: {rows:,} rows, {select_s:.2f} s: "
        f"{rows / select_s:,.0f} rows/s; feed {load_s / select_s:.0f}x, "
        f"snapshot {snap_s / select_s:.0f}x the SELECT"
    )

    increments, small_selects = [], []
    for run in range(RUNS):
        _pages, _records, cursor = pull_all(http, token, cursor)
        changed = list(
            Enterprise.objects.filter(status="approved", tier__in=["public", "vetted"])
            .order_by("?")
            .values_list("pk", flat=True)[:CHANGES]
        )
        with transaction.atomic():
            Enterprise.objects.filter(pk__in=changed).update(description=f"bench change {run}")
            indexing.record(SUPPLIERS, changed)
        seconds, (pages, records, cursor) = timed(lambda c=cursor: pull_all(http, token, c))
        increments.append((seconds, pages, records))
        small_selects.append(timed(lambda c=changed: plain_select(c))[0])
    inc_s, pages, records = max(increments)
    print(
        f"  incremental pull after {CHANGES:,} changes: {records:,} records in {pages} pages, "
        f"{inc_s * 1000:.0f} ms (worst of {RUNS}); plain SELECT {worst(small_selects) * 1000:.1f}"
        f" ms, {inc_s / worst(small_selects):.0f}x"
    )
    print(
        f"sharing: first load {max(loads)[2] / load_s:,.0f} records/s (feed), "
        f"{lines / snap_s:,.0f} records/s (snapshot); incremental {CHANGES:,} in {inc_s:.2f} s"
    )


if __name__ == "__main__":
    main()
