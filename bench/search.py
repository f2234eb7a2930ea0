"""Search latency over HTTP: 200 realistic supplier queries (with and without filters) against
the API of a running server, and the same query bodies sent straight to the engine in the same
run; after an untimed pass of the whole mix each way, each query is timed both ways in turn,
each time from an empty request cache; p50/p95 of both and the ratio. Then search
quality over whole result lists, per class of query: nDCG@10, MRR, precision and recall of the
portal's search against a stock ``cjk`` analyzer on the labelled queries in
bench/support/quality.py."""

from __future__ import annotations

from support import ensure_enterprises, percentile, setup_django

setup_django()

from support.searching import (  # noqa: E402
    api_latencies,
    captured_bodies,
    paired_latencies,
    query_mix,
    raw_latencies,
    serve,
)

from portal.enterprises.search_indexes import SUPPLIERS  # noqa: E402
from search import engine, indexing  # noqa: E402


def latency() -> None:
    total = ensure_enterprises()
    if engine.count(indexing.ensure(SUPPLIERS)) < total * 0.9:
        print("  building the index …")
        indexing.rebuild(SUPPLIERS)
    mix = query_mix()
    bodies = captured_bodies(mix)
    server, port = serve()
    try:
        # Warm-up, untimed: the whole mix once each way (connections, caches, the engine's JIT,
        # as a serving portal has them), then each query timed both ways in turn.
        api_latencies(port, mix)
        raw_latencies(bodies)
        api, raw = paired_latencies(port, mix, bodies)
    finally:
        server.terminate()
        server.wait(timeout=30)
    api50, api95 = percentile(api, 0.5), percentile(api, 0.95)
    raw50, raw95 = percentile(raw, 0.5), percentile(raw, 0.95)
    print(f"200 supplier queries on {total:,} enterprises")
    print(
        f"  API over HTTP:        p50 {api50:6.1f} ms   p95 {api95:6.1f} ms  (target p95 ≤ 50 ms)"
    )
    print(f"  same bodies, raw:     p50 {raw50:6.1f} ms   p95 {raw95:6.1f} ms")
    print(
        f"  ratio API / raw:      p50 {api50 / raw50:.2f}x   p95 {api95 / raw95:.2f}x "
        "(target: the API adds ≤ 50%)"
    )


def main() -> None:
    latency()
    from support.quality import report

    report()


if __name__ == "__main__":
    main()
