"""The bulk load of a rebuild: every indexable document into a new physical index, fast.

Two ways, the same documents (``search.builders.documents``):

- builder processes (``_load_from_processes``): forked processes build and serialise chunks of
  documents with their own database connections while this process only sends the bodies. On
  the two-core machine the engine needs more than a core to index, and building documents
  (database rows, jieba, pinyin) takes most of another; in one Python process the builder, the
  sending threads and the engine wait on each other and on the interpreter lock, in processes
  they use both cores (bench/indexing.py);
- this thread (``_load_in_this_thread``): when builder processes cannot see what this process
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

import orjson
from django.db import connections

from . import engine
from .builders import Reference, documents, indexable

#: Documents per bulk request, sending threads, and how long one request may take (a loaded
#: engine can need more than the interactive search timeout).
CHUNK = 500
SENDERS = 2
TIMEOUT = 120
#: Builder processes: one per core, and none on a single core (nothing to overlap with).
PROCESSES = min(4, os.cpu_count() or 1)
#: What the engine answers per bulk item: enough to tell success from failure and to report it,
#: without echoing index, version and shard counts for every document.
BULK_RESPONSE = "errors,items.*._id,items.*.status,items.*.error"

Progress = Callable[[int], object]


def load(name: str, physical: str, progress: Progress | None = None) -> tuple[int, list[dict]]:
    """Load every indexable document of ``name`` into index ``physical``.

    Returns how many documents were sent and the engine's per-document errors; ``progress``
    is called with the number of documents of each chunk sent.
    """
    report = progress or (lambda count: None)
    with _collector_skips_old_objects():
        if builder_processes_usable():
            return _load_from_processes(name, physical, report)
        return _load_in_this_thread(name, physical, report)


def builder_processes_usable() -> bool:
    """Whether forked builder processes would see the same rows and may be started."""
    return (
        PROCESSES > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
        and not any(connection.in_atomic_block for connection in connections.all())
    )


def _load_in_this_thread(name: str, physical: str, report: Progress) -> tuple[int, list[dict]]:
    """Build documents here while sending threads send the previous chunks."""
    loaded = 0

    def actions() -> Iterator[dict]:
        nonlocal loaded
        for object_id, source in documents(name):
            loaded += 1
            yield {
                "_op_type": "index",
                "_index": physical,
                "_id": str(object_id),
                "_source": source,
            }

    def bodies() -> Iterator[tuple[int, list[dict]]]:
        for chunk in _chunks(actions(), CHUNK):
            yield len(chunk), chunk

    errors = _send_overlapped(bodies(), _send_actions, report)
    return loaded, errors


def _load_from_processes(name: str, physical: str, report: Progress) -> tuple[int, list[dict]]:
    """Builder processes build and serialise chunks, in order; this process sends them."""
    ids = list(indexable(name).order_by("pk").values_list("pk", flat=True))
    chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    connections.close_all()  # the children open their own; a shared socket would mix answers
    context = multiprocessing.get_context("fork")
    loaded = 0
    with context.Pool(PROCESSES, initializer=_start_builder) as builders:

        def bodies() -> Iterator[tuple[int, bytes]]:
            nonlocal loaded
            # Bounded look-ahead: builders run at most two chunks each ahead of the senders.
            waiting: deque = deque()
            for chunk in chunks:
                waiting.append(builders.apply_async(_build_body, (name, physical, chunk)))
                if len(waiting) > 2 * PROCESSES:
                    count, body = waiting.popleft().get()
                    loaded += count
                    yield count, body
            while waiting:
                count, body = waiting.popleft().get()
                loaded += count
                yield count, body

        errors = _send_overlapped(bodies(), _send_body, report)
        builders.close()
        builders.join()
    return loaded, errors


#: Per builder process: the build's reference data, read once when the process starts.
_reference: Reference | None = None


def _start_builder() -> None:
    global _reference
    _reference = Reference()
    gc.freeze()


def _build_body(name: str, physical: str, ids: list[int]) -> tuple[int, bytes]:
    """In a builder process: the bulk request body (NDJSON) of one chunk of ``ids``."""
    lines: list[bytes] = []
    default = engine.OrjsonSerializer().default
    for object_id, source in documents(name, ids, dense=True, reference=_reference):
        lines.append(orjson.dumps({"index": {"_index": physical, "_id": str(object_id)}}))
        lines.append(orjson.dumps(source, default=default))
    body = b"\n".join(lines) + b"\n" if lines else b""
    return len(lines) // 2, body


def _send_body(body: bytes) -> list[dict]:
    if not body:
        return []
    return engine.bulk_body(body, filter_path=BULK_RESPONSE, request_timeout=TIMEOUT)


def _send_actions(actions: list[dict]) -> list[dict]:
    _ok, errors = engine.bulk(
        actions,
        chunk_size=len(actions),
        raise_on_error=False,
        request_timeout=TIMEOUT,
        filter_path=BULK_RESPONSE,
    )
    return errors


def _send_overlapped(
    bodies: Iterable[tuple[int, Any]], send: Callable[[Any], list[dict]], report: Progress
) -> list[dict]:
    """Send each body from ``SENDERS`` threads while the next ones are made; returns the
    engine's per-document errors. The bodies are made in the calling thread, so when it builds
    documents itself its database queries use its own connection and transaction."""
    errors: list[dict] = []
    in_flight: deque[tuple[int, Future]] = deque()

    def settle() -> None:
        count, future = in_flight.popleft()
        errors.extend(future.result())
        report(count)

    with ThreadPoolExecutor(SENDERS, thread_name_prefix="rebuild") as pool:
        try:
            for count, body in bodies:
                in_flight.append((count, pool.submit(send, body)))
                # Bounded: at most one body waiting per thread, so memory stays flat.
                while len(in_flight) > SENDERS:
                    settle()
            while in_flight:
                settle()
        finally:
            for _count, future in in_flight:
                future.cancel()
    return errors


def _chunks(items: Iterable[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
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
    to run full collections that walk them every time (a tenth of the build's Python time)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
