"""The bulk load of a rebuild: every indexable document into a new physical index, fast.

Two ways, the same documents (the index's ``build``):

- builder processes (``_bodies_from_processes``): forked processes build and serialise chunks of
  documents with their own database connections while this process only sends the bodies. On
  the two-core machine the engine needs more than a core to index, and building documents
  (database rows, jieba, pinyin) takes most of another; in one Python process the builder, the
  sending threads and the engine wait on each other and on the interpreter lock, in processes
  they use both cores (bench/indexing.py);
- this thread (``_bodies_from_this_thread``): when builder processes cannot see what this process
  sees (inside a transaction, such as a test's, their own connections would not see its rows),
  cannot be started (a daemonic process, such as a Celery prefork child, may not have children;
  no ``fork``), or there is one core only.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.db import connections

from . import engine, registry
from .registry import SearchIndex

#: Documents per bulk request, sending threads, and how long one request may take (a loaded
#: engine can need more than the interactive search timeout).
CHUNK = 500
SENDERS = 2
TIMEOUT = 120
#: Builder processes: one per core, and none on a single core (nothing to overlap with).
PROCESSES = min(4, os.cpu_count() or 1)

Progress = Callable[[int], object]
#: One bulk request: how many documents it indexes, and its body (``engine.index_body``).
Body = tuple[int, bytes]


def load(
    index: SearchIndex, physical: str, progress: Progress | None = None
) -> tuple[int, list[dict]]:
    """Load every indexable document of ``index`` into the physical index ``physical``.

    Returns how many documents were sent and the engine's per-document errors; ``progress``
    is called with the number of documents of each chunk sent.
    """
    report = progress or (lambda count: None)
    with _collector_skips_old_objects():
        if builder_processes_usable():
            return _send_overlapped(_bodies_from_processes(index, physical), report)
        return _send_overlapped(_bodies_from_this_thread(index, physical), report)


def builder_processes_usable() -> bool:
    """Whether forked builder processes would see the same rows and may be started."""
    return (
        PROCESSES > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
        and not any(connection.in_atomic_block for connection in connections.all())
    )


def _bodies_from_this_thread(index: SearchIndex, physical: str) -> Iterator[Body]:
    """Bodies built here, one chunk at a time, while the sending threads send the last ones."""
    for chunk in _chunks(index.build(None), CHUNK):
        yield engine.index_body(physical, chunk)


def _bodies_from_processes(index: SearchIndex, physical: str) -> Iterator[Body]:
    """Bodies built by builder processes, in order, at most two chunks each ahead of the
    senders (memory stays flat)."""
    ids = list(index.indexable().order_by("pk").values_list("pk", flat=True))
    chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    connections.close_all()  # the children open their own; a shared socket would mix answers
    context = multiprocessing.get_context("fork")
    with context.Pool(PROCESSES) as builders:
        waiting: deque = deque()
        for chunk in chunks:
            waiting.append(builders.apply_async(_build_body, (index.name, physical, chunk)))
            if len(waiting) > 2 * PROCESSES:
                yield waiting.popleft().get()
        while waiting:
            yield waiting.popleft().get()
        builders.close()
        builders.join()


def _build_body(name: str, physical: str, ids: list[int]) -> Body:
    """In a builder process: the bulk request of one chunk of ``ids`` (sorted)."""
    return engine.index_body(physical, registry.get(name).build(ids))


def _send_overlapped(bodies: Iterable[Body], report: Progress) -> tuple[int, list[dict]]:
    """Send each body from ``SENDERS`` threads while the next ones are made; returns how many
    documents were sent and the engine's per-document errors. The bodies are made in the
    calling thread, so when it builds documents itself its database queries use its own
    connection and transaction."""
    loaded = 0
    errors: list[dict] = []
    in_flight: deque[tuple[int, Future]] = deque()

    def settle() -> None:
        nonlocal loaded
        count, future = in_flight.popleft()
        errors.extend(future.result())
        loaded += count
        report(count)

    with ThreadPoolExecutor(SENDERS, thread_name_prefix="rebuild") as pool:
        try:
            for count, body in bodies:
                in_flight.append(
                    (count, pool.submit(engine.bulk_body, body, request_timeout=TIMEOUT))
                )
                # Bounded: at most one body waiting per thread, so memory stays flat.
                while len(in_flight) > SENDERS:
                    settle()
            while in_flight:
                settle()
        finally:
            for _count, future in in_flight:
                future.cancel()
    return loaded, errors


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextmanager
def _collector_skips_old_objects() -> Iterator[None]:
    """Keep the objects that existed before the load (Django, pypinyin's dictionaries) out of
    the garbage collector's passes while it lasts: building 100,000 documents allocates enough
    to run full collections that walk them every time (a tenth of the build's Python time).
    Builder processes are forked inside it and inherit the frozen objects."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
