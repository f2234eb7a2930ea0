"""Full rebuild throughput: `search_index --rebuild`'s path (read the database, build documents,
bulk load a new index, swap the alias) against a raw ``helpers.bulk`` of the same documents,
already built, into a fresh index, measured in the same run on the same 100,000 enterprises.

The two loads alternate for ``ROUNDS`` rounds, each side going first in turn, and the ratio is
taken between their medians: on this virtual machine identical loads differ by up to a quarter
from one minute to the next, and alternating spreads that over both sides. Before the rounds an
untimed load warms the engine's JIT (the first load after the engine starts took half as much
CPU again, whichever side ran it). Every timed load starts on an idle engine (``settle_engine``:
no merge of an earlier load still running), and every rebuild starts with the analysis caches
empty, as a new ``manage.py search_index --rebuild`` process would.

Besides wall time it prints the CPU seconds each side used (this process, and the engine as it
reports itself): on two cores the rebuild's Python work and the engine's indexing compete, so
their sum bounds how close the rebuild can come to the raw load.
"""

from __future__ import annotations

import os
import statistics
import time

from support import ensure_enterprises, settle_engine, setup_django

setup_django()

from opensearchpy import helpers  # noqa: E402

from portal.enterprises.search_indexes import SUPPLIERS  # noqa: E402
from search import analysis, engine, indexing  # noqa: E402
from search.documents import build_index  # noqa: E402

ROUNDS = 3


def python_cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the rebuild's builders)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def engine_cpu_seconds() -> float:
    """CPU time the engine's process has used so far, from its own node statistics."""
    nodes = engine.client().nodes.stats(metric="process", request_timeout=60)["nodes"]
    return sum(node["process"]["cpu"]["total_in_millis"] for node in nodes.values()) / 1000


class Load:
    """Wall and CPU seconds of one timed load."""

    def __init__(self) -> None:
        self.wall = self.python = self.engine = 0.0

    def __enter__(self) -> Load:
        settle_engine()
        self._started = (time.perf_counter(), python_cpu_seconds(), engine_cpu_seconds())
        return self

    def __exit__(self, *exc_info: object) -> None:
        wall, python, engine_cpu = self._started
        self.wall = time.perf_counter() - wall
        self.python = python_cpu_seconds() - python
        self.engine = engine_cpu_seconds() - engine_cpu

    def describe(self, count: int) -> str:
        return (
            f"{self.wall:5.1f} s = {count / self.wall:6,.0f} docs/s  "
            f"(CPU: python {self.python:4.1f} s, engine {self.engine:4.1f} s)"
        )


def rebuild_once() -> tuple[Load, int]:
    analysis.clear_caches()
    with Load() as load:
        _physical, loaded = indexing.rebuild(SUPPLIERS)
    return load, loaded


def raw_bulk_once(built: list[dict], name: str = "rawbulk") -> Load:
    raw_index = f"{SUPPLIERS.alias}-{name}"
    engine.delete_index(raw_index)
    engine.create_index(build_index(SUPPLIERS, raw_index))
    for action in built:
        action["_index"] = raw_index
    with Load() as load:
        helpers.bulk(engine.client(), built, chunk_size=1000, request_timeout=120)
        engine.refresh(raw_index)
    engine.delete_index(raw_index)
    return load


def main() -> None:
    total = ensure_enterprises()
    print(f"enterprises in the database: {total:,}")

    analysis.clear_caches()
    started = time.perf_counter()
    built = [
        {"_op_type": "index", "_id": str(pk), "_source": source}
        for pk, source in SUPPLIERS.build(None)
    ]
    build_seconds = time.perf_counter() - started
    print(
        f"building the documents alone (database + analysis, nothing sent): "
        f"{build_seconds:.1f} s = {len(built) / build_seconds:,.0f} docs/s"
    )

    warm_up = raw_bulk_once(built[: len(built) // 5], "warmup")
    print(f"engine warm-up (untimed): {len(built) // 5:,} documents in {warm_up.wall:.1f} s")

    rebuilds: list[Load] = []
    raws: list[Load] = []
    for round_number in range(1, ROUNDS + 1):
        if round_number % 2:
            rebuild, loaded = rebuild_once()
            raw = raw_bulk_once(built)
        else:
            raw = raw_bulk_once(built)
            rebuild, loaded = rebuild_once()
        rebuilds.append(rebuild)
        raws.append(raw)
        print(f"round {round_number}: rebuild {rebuild.describe(loaded)}")
        print(f"         raw bulk {raw.describe(len(built))}")

    rebuild_seconds = statistics.median(load.wall for load in rebuilds)
    raw_seconds = statistics.median(load.wall for load in raws)
    rebuild_rate = loaded / rebuild_seconds
    raw_rate = len(built) / raw_seconds
    print(
        f"rebuild (database → documents → bulk → alias swap), median of {ROUNDS}: "
        f"{loaded:,} docs in {rebuild_seconds:.1f} s = {rebuild_rate:,.0f} docs/s"
    )
    print(
        f"raw helpers.bulk of the same built documents, median of {ROUNDS}: "
        f"{len(built):,} docs in {raw_seconds:.1f} s = {raw_rate:,.0f} docs/s"
    )
    print(f"ratio rebuild / raw bulk: {rebuild_rate / raw_rate:.2f}x (target ≥ 0.80x)")


if __name__ == "__main__":
    main()
