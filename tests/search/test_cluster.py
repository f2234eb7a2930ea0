"""Three OpenSearch nodes, each its own process: one dies mid-drain and nothing is lost.

集群容错：三节点集群中持有主分片的节点在出站队列发送途中被 SIGKILL，检索在限定时间内恢复，
队列发送完成，索引与数据库一致，节点重启后重新加入集群。

The cluster is started once for the module (``engine.sh cluster``) on ports of its own, away
from the single nodes of ``make test``, ``make run`` and ``make bench`` (HTTP 9201-9290,
transport 9300-9400), and stopped at the end, on failure too.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess  # nosec B404 - starts and kills the test's own OpenSearch nodes
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection

from portal.enterprises.search_indexes import SUPPLIERS
from portal.enterprises.supplier_search import supplier_search
from search import engine, indexing
from search.models import OutboxEntry
from search.registry import alias, names

# The cluster's ports are fixed: its tests run in one process of a parallel run.
pytestmark = [pytest.mark.engine, pytest.mark.xdist_group("cluster")]

ENGINE_SH = Path(__file__).resolve().parents[2] / "search" / "node" / "engine.sh"
NODES = 3
#: HTTP 9231-9233, transport 10231-10233 (engine.sh: BASE_PORT+I and BASE_PORT+1000+I).
BASE_PORT = 9230
#: How long searches may go unanswered while the cluster re-routes after losing a node.
REROUTE_SECONDS = 30
ENTERPRISES = 40


#: Test nodes live for seconds: the client compiler only and the serial collector start them
#: in about half the time on a busy machine, which matters more here than their throughput.
NODE_ENV = {
    "OPENSEARCH_HEAP": "384m",
    "OPENSEARCH_JAVA_OPTS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


def engine_sh(*args: str, wait: bool = True) -> subprocess.Popen:
    process = subprocess.Popen(  # nosec B603 - fixed script, arguments of our own
        [str(ENGINE_SH), *args], env={**os.environ, **NODE_ENV}
    )
    if wait and process.wait(timeout=180):
        pytest.fail(f"engine.sh {' '.join(args)} failed (exit {process.returncode})")
    return process


@dataclass
class Cluster:
    data: Path
    pids: Path
    booting: subprocess.Popen | None = None

    @property
    def search_url(self) -> str:
        return ",".join(f"http://127.0.0.1:{BASE_PORT + i}" for i in range(1, NODES + 1))

    def boot(self) -> None:
        """Start the nodes without waiting: they boot while the test writes its rows."""
        args = ("cluster", str(self.data), str(BASE_PORT), str(self.pids), str(NODES))
        self.booting = engine_sh(*args, wait=False)

    def ready(self) -> None:
        """Wait until the three nodes have formed the cluster."""
        assert self.booting is not None
        if self.booting.wait(timeout=180):
            pytest.fail(f"the cluster did not start; see the logs under {self.data}")

    def kill(self, number: int) -> None:
        os.kill(int((self.pids / f"node-{number}.pid").read_text()), signal.SIGKILL)

    def start_again(self, number: int) -> None:
        engine_sh("node", str(self.data), str(BASE_PORT), str(self.pids), str(number), str(NODES))

    def stop(self) -> None:
        if self.booting is not None and self.booting.poll() is None:
            self.booting.wait(timeout=180)
        engine_sh("cluster-stop", str(self.pids))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("cluster")
    nodes = Cluster(data=root / "data", pids=root / "pids")
    try:
        nodes.boot()
        yield nodes
    finally:
        nodes.stop()


@pytest.fixture
def on_cluster(cluster, settings) -> Iterator[Cluster]:
    """The portal pointed at the three nodes, one replica per shard, indices of its own."""
    settings.SEARCH_URL = cluster.search_url
    settings.SEARCH_REPLICAS = 1
    settings.SEARCH_INDEX_PREFIX = f"c{uuid.uuid4().hex[:10]}"
    engine.client.cache_clear()
    try:
        yield cluster
    finally:
        engine.client.cache_clear()


def node_holding_primary(name: str) -> int:
    """The number (1..3) of the node that holds the primary shard of index or alias ``name``."""
    shards = engine.client().cat.shards(index=name, format="json", h="prirep,state,id")
    node_id = next(s["id"] for s in shards if s["prirep"] == "p" and s["state"] == "STARTED")
    info = engine.client().nodes.info(node_id=node_id, metric="settings")
    return int(info["nodes"][node_id]["attributes"]["portal_node"])


@dataclass
class Searches:
    """Supplier searches run in a loop by a thread: when each ended and whether it answered."""

    answers: list[tuple[float, bool]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    supplier_search(AnonymousUser(), "装备", {})
                    self.answers.append((time.monotonic(), True))
                except engine.EngineUnavailable:
                    self.answers.append((time.monotonic(), False))
                time.sleep(0.05)
        finally:
            connection.close()

    def longest_silence_after(self, moment: float) -> float:
        """The longest wait, from ``moment`` on, from one answered search to the next (infinite
        when none answered after it)."""
        answered = [at for at, ok in self.answers if ok and at >= moment]
        marks = [moment, *answered]
        return max((b - a for a, b in itertools.pairwise(marks)), default=float("inf"))


def drain_until_empty(deadline: float) -> int:
    """Drain as the periodic task would: an unreachable engine is retried after a pause."""
    failures = 0
    while OutboxEntry.objects.exists():
        assert time.monotonic() < deadline, "the outbox did not drain"
        try:
            indexing.drain()
        except engine.EngineUnavailable:
            failures += 1
            time.sleep(0.5)
    return failures


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_node_killed_mid_drain_loses_nothing(on_cluster, make_enterprise, monkeypatch):
    # Rows wait in the outbox (no drain after each commit) and are sent ten at a time, so that
    # the node dies with most of them still to send.
    monkeypatch.setattr(indexing, "_schedule_drain", lambda: None)
    monkeypatch.setattr(indexing, "BATCH", 10)
    made = [make_enterprise(f"军民融合装备制造厂{n}") for n in range(ENTERPRISES)]
    assert OutboxEntry.objects.count() == ENTERPRISES
    on_cluster.ready()
    call_command("search_index", "--ensure")
    settings_of = engine.client().indices.get_settings(index=SUPPLIERS.alias)
    assert next(iter(settings_of.values()))["settings"]["index"]["number_of_replicas"] == "1"

    victim = node_holding_primary(SUPPLIERS.alias)
    killed_at: list[float] = []
    real_bulk = engine.bulk_body

    def bulk_then_kill(body: bytes, **kwargs):
        if len(calls) == 2:  # two batches sent: the node dies before the third
            on_cluster.kill(victim)
            killed_at.append(time.monotonic())
        calls.append(body)
        return real_bulk(body, **kwargs)

    calls: list[bytes] = []
    monkeypatch.setattr(engine, "bulk_body", bulk_then_kill)
    searches = Searches()
    searcher = threading.Thread(target=searches.run, daemon=True)
    searcher.start()
    try:
        drain_until_empty(deadline=time.monotonic() + 90)
        drained_at = time.monotonic()
        # Searches go on after the drain, long enough to see answers once the cluster re-routed.
        time.sleep(1)
    finally:
        searches.stop.set()
        searcher.join(timeout=30)

    assert killed_at and len(calls) >= ENTERPRISES // 10
    assert searches.longest_silence_after(killed_at[0]) <= REROUTE_SECONDS
    after_drain = [ok for at, ok in searches.answers if at > drained_at]
    assert after_drain and all(after_drain), "every search answers once the drain is done"
    for name in names():
        engine.refresh(alias(name))
    call_command("search_index", "--check")  # raises when a document is missing or stale
    assert supplier_search(AnonymousUser(), "", {}).total == len(made)

    on_cluster.start_again(victim)
    health = engine.client().cluster.health(
        wait_for_nodes=NODES, wait_for_status="green", timeout="60s", request_timeout=70
    )
    assert (health["number_of_nodes"], health["status"]) == (NODES, "green")

    # A rebuild loads the new index without replicas, then swaps once its replicas started.
    call_command("search_index", "--rebuild", "--index", SUPPLIERS.name, "--no-progress")
    (physical,) = engine.alias_targets(SUPPLIERS.alias)
    rebuilt = engine.client().indices.get_settings(index=physical)[physical]["settings"]
    assert rebuilt["index"]["number_of_replicas"] == "1"
    assert engine.wait_for_copies(physical, timeout=1)
    call_command("search_index", "--check")
