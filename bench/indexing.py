"""Full rebuild throughput: `search_index --rebuild`'s path (read the database, build documents,
bulk load a new index, swap the alias) against a raw ``helpers.bulk`` of the same documents,
already built, into a fresh index, measured in the same run on the same 100,000 enterprises.
It also prints how long building the documents alone takes, which bounds the rebuild: the
rebuild overlaps building with sending, but cannot be faster than building. Both timed loads
start on an idle engine (``settle_engine``: no merge of an earlier load still running)."""

from __future__ import annotations

import time

from support import ensure_enterprises, settle_engine, setup_django

setup_django()

from opensearchpy import helpers  # noqa: E402

from search import engine, indexing  # noqa: E402
from search.builders import documents  # noqa: E402
from search.documents import alias, build_index  # noqa: E402


def main() -> None:
    total = ensure_enterprises()
    print(f"enterprises in the database: {total:,}")

    settle_engine()
    started = time.perf_counter()
    physical, loaded = indexing.rebuild("enterprises")
    rebuild_seconds = time.perf_counter() - started
    rebuild_rate = loaded / rebuild_seconds

    started = time.perf_counter()
    built = [
        {"_op_type": "index", "_id": str(pk), "_source": source}
        for pk, source in documents("enterprises")
    ]
    build_seconds = time.perf_counter() - started
    raw_index = f"{alias('enterprises')}-rawbulk"
    engine.delete_index(raw_index)
    engine.create_index(build_index("enterprises", raw_index))
    for action in built:
        action["_index"] = raw_index
    settle_engine()
    started = time.perf_counter()
    helpers.bulk(engine.client(), built, chunk_size=1000, request_timeout=120)
    engine.refresh(raw_index)
    raw_seconds = time.perf_counter() - started
    raw_rate = len(built) / raw_seconds
    engine.delete_index(raw_index)

    print(
        f"rebuild (database → documents → bulk → alias swap): {loaded:,} docs in "
        f"{rebuild_seconds:.1f} s = {rebuild_rate:,.0f} docs/s  (index {physical})"
    )
    print(
        f"raw helpers.bulk of the same built documents:        {len(built):,} docs in "
        f"{raw_seconds:.1f} s = {raw_rate:,.0f} docs/s"
    )
    print(
        f"building the documents alone (database + segmentation, warm caches): "
        f"{build_seconds:.1f} s = {len(built) / build_seconds:,.0f} docs/s"
    )
    print(f"ratio rebuild / raw bulk: {rebuild_rate / raw_rate:.2f}x (target ≥ 0.80x)")


if __name__ == "__main__":
    main()
