"""Growth: the same measurements at 10,000, 100,000 and 1,000,000 enterprises.

The registry grows in place (``seed_demo``'s bulk path: the same generator and seed, so each
step adds the profiles the smaller registry lacks), and at each size this bench measures:

- how long the growth took, and the real index rebuild (``indexing.rebuild``, what
  ``search_index --rebuild`` runs) with the index's size on disk per document;
- supplier search: the 200-query mix of bench/search.py over HTTP to the portal under gunicorn,
  and the same captured bodies sent straight to the engine; p50/p95, worst of ``ROUNDS`` runs,
  each from an empty request cache (``cold_request_cache``);
- visibility (bench/visibility.py's data: a tenth of the rows targeted, a user holding 5,000
  grants and one holding none): the directory's page by name and by update time, the count it
  shows, and the exact count for comparison; median and worst of 7 runs;
- matching: the 50 demand notices of bench/matching.py, p95 of ``match_suppliers`` and of the
  same bodies sent raw.

It ends with one line: search p95 at each size and the growth factor per tenfold from 100k to
1M (targets: ≤ 100 ms at 1M on one node, growth ≤ 2.0). ``SCALE_SIZES`` (comma-separated)
measures other sizes, e.g. ``SCALE_SIZES=10000,100000`` while developing.
"""

from __future__ import annotations

import io
import os
import time

from support import median, percentile, settle_engine, setup_django, timed, worst

setup_django()

import matching  # noqa: E402  (bench/matching.py: its notices and timings)
import visibility  # noqa: E402  (bench/visibility.py: its tiers, users and grants)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from support.searching import (  # noqa: E402
    api_latencies,
    captured_bodies,
    cold_request_cache,
    query_mix,
    raw_latencies,
    serve,
)

from classification import policy  # noqa: E402
from classification.tiers import Tier  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.enterprises import demo  # noqa: E402
from portal.enterprises.models import Enterprise  # noqa: E402
from portal.enterprises.search_indexes import SUPPLIERS  # noqa: E402
from portal.matching.suppliers import SupplierMatch  # noqa: E402
from portal.matching.terms import key_terms, notice_places  # noqa: E402
from search import engine, indexing  # noqa: E402

SIZES = [int(size) for size in os.environ.get("SCALE_SIZES", "10000,100000,1000000").split(",")]
ROUNDS = 3
SEARCH_TARGET_MS = 100.0
GROWTH_TARGET = 2.0


def grow(size: int) -> float:
    """Seconds to bring the registry to ``size`` approved profiles (0 if it has them)."""
    if Enterprise.objects.count() >= size:
        return 0.0
    started = time.perf_counter()
    if not Enterprise.objects.exists():
        call_command("seed_demo", enterprises=size, verbosity=0, stdout=io.StringIO())
    else:
        demo.grow(size)  # commits a chunk at a time
    took = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return took


def rebuild() -> tuple[float, int, int]:
    """Seconds of the real rebuild, documents loaded, and the new index's bytes on disk."""
    settle_engine()
    started = time.perf_counter()
    physical, loaded = indexing.rebuild(SUPPLIERS)
    took = time.perf_counter() - started
    settle_engine()
    stats = engine.client().indices.stats(index=physical, metric="store,segments")
    primaries = stats["_all"]["primaries"]
    print(
        f"  rebuild: {loaded:,} documents in {took:.1f} s ({loaded / took:,.0f} doc/s); "
        f"{primaries['store']['size_in_bytes'] / 2**20:,.0f} MiB on disk "
        f"({primaries['store']['size_in_bytes'] / max(loaded, 1):,.0f} B/doc), "
        f"{primaries['segments']['count']} segments"
    )
    return took, loaded, primaries["store"]["size_in_bytes"]


def search_p95() -> float:
    """The supplier search mix: API over HTTP and raw engine, worst p95 of ``ROUNDS``."""
    mix = query_mix()
    bodies = captured_bodies(mix)
    server, port = serve()
    api_runs = []
    try:
        api_latencies(port, mix[:20])  # warm-up
        for _ in range(ROUNDS):
            cold_request_cache()
            api_runs.append(api_latencies(port, mix))
    finally:
        server.terminate()
        server.wait(timeout=30)
    raw_latencies(bodies[:20])
    raw_runs = []
    for _ in range(ROUNDS):
        cold_request_cache()
        raw_runs.append(raw_latencies(bodies))
    api95 = max(percentile(run, 0.95) for run in api_runs)
    raw95 = max(percentile(run, 0.95) for run in raw_runs)
    api50 = max(percentile(run, 0.5) for run in api_runs)
    raw50 = max(percentile(run, 0.5) for run in raw_runs)
    print(
        f"  search (200 queries, worst of {ROUNDS}): API p50 {api50:6.1f} ms  p95 {api95:6.1f} ms;"
        f"  raw p50 {raw50:6.1f} ms  p95 {raw95:6.1f} ms"
    )
    return api95


def directory_page(user_pk: int, order: tuple[str, ...]) -> list:
    """A page of the supplier directory as its view asks for it, for a fresh request."""
    user = User.objects.get(pk=user_pk)
    released = Enterprise.objects.filter(Enterprise.classification.released())
    return list(policy.visible(released, user).order_by(*order)[:20])


def exact_count(user_pk: int) -> int:
    user = User.objects.get(pk=user_pk)
    released = Enterprise.objects.filter(Enterprise.classification.released())
    return policy.visible(released, user).count()


def line(label: str, times: list[float]) -> None:
    print(f"    {label:<34} median {median(times):7.2f} ms   worst {worst(times):7.2f} ms")


def visibility_figures() -> float:
    """The directory's pages and count for the 5,000-grant user and the user with none;
    returns the worst of the count the page shows for the 5,000-grant user."""
    saved = list(Enterprise.objects.exclude(tier=Tier.PUBLIC).values_list("pk", "tier"))
    try:
        with transaction.atomic():
            targeted = visibility.classify()
            many, none = visibility.make_users(targeted)
        visibility.vacuum()
        shown = visibility.shown_count(many.pk)
        exact = exact_count(many.pk)
        print(
            f"  visibility: {len(targeted):,} targeted; the 5,000-grant user sees {exact:,} "
            f"(the directory shows {'' if shown.exact else '约 '}{shown.value:,})"
        )
        judged = 0.0
        for name, user in (("5,000 grants", many), ("no grants", none)):
            pk = user.pk
            line(f"page by name ({name})", timed(lambda pk=pk: directory_page(pk, ("name", "pk"))))
            line(
                f"page by update ({name})",
                timed(lambda pk=pk: directory_page(pk, ("-updated_at", "-pk"))),
            )
            counted = timed(lambda pk=pk: visibility.shown_count(pk))
            line(f"count shown ({name})", counted)
            line(f"exact count ({name})", timed(lambda pk=pk: exact_count(pk), repeat=3))
            if user == many:
                judged = worst(counted)
        return judged
    finally:
        visibility.cleanup(saved)


def matching_p95() -> float:
    user = matching._procurer()
    notices = matching.ensure_notices(user)
    bodies = [
        SupplierMatch(user, n, key_terms(notice_places(n))).request().to_dict() for n in notices
    ]
    matching.service_latencies(user, notices[:10], "terms")  # warm-up
    service = [matching.service_latencies(user, notices, "terms")[0] for _ in range(ROUNDS)]
    raw = [matching.raw_latencies(bodies) for _ in range(ROUNDS)]
    s95 = max(percentile(run, 0.95) for run in service)
    r95 = max(percentile(run, 0.95) for run in raw)
    print(f"  matching (50 notices, worst of {ROUNDS}): p95 {s95:6.1f} ms;  raw p95 {r95:6.1f} ms")
    return s95


def main() -> None:
    results: dict[int, dict[str, float]] = {}
    for size in SIZES:
        took = grow(size)
        total = Enterprise.objects.count()
        print(f"{total:,} enterprises (grown in {took:.1f} s)")
        rebuilt, _loaded, stored = rebuild()
        results[size] = {
            "search": search_p95(),
            "rebuild": rebuilt,
            "bytes": stored,
            "count": visibility_figures(),
            "matching": matching_p95(),
        }
    labels = {10_000: "10k", 100_000: "100k", 1_000_000: "1M"}
    parts = [f"{labels.get(size, f'{size:,}')} {results[size]['search']:.1f} ms" for size in SIZES]
    last, before = SIZES[-1], SIZES[-2] if len(SIZES) > 1 else SIZES[-1]
    growth = results[last]["search"] / results[before]["search"]
    print(
        f"targets: search p95 at {labels.get(last, last)} ≤ {SEARCH_TARGET_MS:.0f} ms, "
        f"growth ≤ {GROWTH_TARGET}; count shown ≤ {visibility.TARGET_MS:.0f} ms "
        f"(worst at {labels.get(last, last)}: {results[last]['count']:.1f} ms)"
    )
    print(
        f"scale: search p95 {', '.join(parts)}; growth per 10x {growth:.2f}; "
        f"rebuild {labels.get(last, last)} {results[last]['rebuild']:.0f} s"
    )


if __name__ == "__main__":
    main()
