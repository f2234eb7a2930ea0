"""The one seam between elasticsearch-dsl and opensearch-py.

elasticsearch-dsl describes indices, queries and responses; its own transport (elasticsearch-py)
refuses to talk to OpenSearch (product check), so opensearch-py carries the requests. Nothing
else in the project builds an opensearch-py client or sends a raw request: everything goes
through the functions here, which also turn transport failures into ``EngineUnavailable``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import orjson
from django.conf import settings
from elasticsearch_dsl import Index, Search
from elasticsearch_dsl.response import Response
from opensearchpy import JSONSerializer, OpenSearch, helpers
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import (
    ConnectionTimeout,
    NotFoundError,
    SerializationError,
    TransportError,
)


class EngineUnavailable(Exception):
    """The search engine could not be reached or did not answer in time."""


_UNREACHABLE = (OSConnectionError, ConnectionTimeout)


class OrjsonSerializer(JSONSerializer):
    """Request and response bodies through orjson instead of the standard library's json.

    Why: encoding the documents was the sending threads' main cost during a rebuild (about
    4 s of 100,000 documents, holding the interpreter lock the document builder needs), and
    decoding search answers is part of every search's latency. Dates and times come out in
    the same ISO 8601 form; anything orjson does not know goes through the usual ``default``.
    """

    def dumps(self, data: Any) -> str | bytes:
        if isinstance(data, (str, bytes)):  # a body serialised already (bulk NDJSON)
            return data
        try:
            return orjson.dumps(data, default=self.default).decode()
        except TypeError as error:  # orjson.JSONEncodeError is a TypeError
            raise SerializationError(data, error) from error

    def loads(self, s: str | bytes) -> Any:
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError as error:
            raise SerializationError(s, error) from error


_SERIALIZER = OrjsonSerializer()


def hosts() -> list[str]:
    """The nodes ``SEARCH_URL`` lists: one URL, or several of one cluster separated by commas."""
    return [url.strip() for url in settings.SEARCH_URL.split(",") if url.strip()]


@functools.cache
def client() -> OpenSearch:
    """The process-wide client; opensearch-py pools its connections itself.

    With several nodes a request that cannot reach one (refused, reset, timed out) is sent to
    the next, each node at most once, and the unreachable node rests for a while before it is
    tried again, so that a node dying costs a visitor one failed attempt, not an error page.
    With one node there is nowhere else to go: a timeout is reported at once instead of
    doubling the wait.
    """
    nodes = hosts()
    return OpenSearch(
        hosts=nodes,
        verify_certs=settings.SEARCH_VERIFY_CERTS,
        ssl_show_warn=False,
        timeout=settings.SEARCH_TIMEOUT_SECONDS,
        max_retries=max(1, len(nodes) - 1),
        retry_on_timeout=len(nodes) > 1,
        # Threaded servers and the rebuild's sending threads each keep a connection open.
        pool_maxsize=8,
        serializer=_SERIALIZER,
    )


def index_name(base: str) -> str:
    """The name of an index or alias, with this site's prefix (sites may share a cluster)."""
    return f"{settings.SEARCH_INDEX_PREFIX}-{base}"


def _call(function, *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except _UNREACHABLE as error:
        raise EngineUnavailable(str(error)) from error
    except TransportError as error:
        if error.status_code in (502, 503, 504, "N/A"):
            raise EngineUnavailable(str(error)) from error
        raise


#: Index administration (create, refresh, settings, aliases, delete) may wait longer than a
#: search: at the end of a rebuild the engine is still merging what it just loaded, and a
#: refresh of a whole new index or the deletion of the old one can take more than the seconds
#: a visitor's search is given.
ADMIN_TIMEOUT_SECONDS = 60


def _admin(function, **kwargs: Any) -> Any:
    return _call(function, request_timeout=ADMIN_TIMEOUT_SECONDS, **kwargs)


def create_index(index: Index) -> None:
    """Create ``index`` from its elasticsearch-dsl description (settings, analysis, mappings)."""
    _admin(client().indices.create, index=index._name, body=index.to_dict())


def delete_index(name: str) -> None:
    """Delete an index if it exists."""
    _admin(client().indices.delete, index=name, ignore_unavailable=True)


def refresh(name: str) -> None:
    """Make recent writes to ``name`` searchable now (tests and rebuilds; not per request)."""
    _admin(client().indices.refresh, index=name)


#: What the engine answers per bulk item: enough to tell success from failure and to report it,
#: without echoing index, version and shard counts for every document.
BULK_RESPONSE = "errors,items.*._id,items.*.status,items.*.error"


def index_body(
    name: str, sources: Iterable[tuple[Any, dict[str, Any]]], *, require_alias: bool = False
) -> tuple[int, bytes]:
    """The NDJSON body of a bulk request indexing ``sources`` ((id, source) pairs) into index
    ``name``, and how many documents it holds; made apart from sending it (``bulk_body``), so
    that another process can make it (``search.loading``). ``require_alias``: ``name`` must
    be an alias, so that a write to a site whose indices were never created fails instead of
    creating an index with guessed mappings."""
    lines: list[bytes] = []
    for object_id, source in sources:
        action: dict[str, Any] = {"_index": name, "_id": str(object_id)}
        if require_alias:
            action["require_alias"] = True
        lines.append(orjson.dumps({"index": action}))
        lines.append(orjson.dumps(source, default=_SERIALIZER.default))
    return len(lines) // 2, b"".join(line + b"\n" for line in lines)


def delete_body(name: str, ids: Iterable[Any]) -> bytes:
    """The NDJSON lines of a bulk request deleting documents ``ids`` from ``name``."""
    return b"".join(
        orjson.dumps({"delete": {"_index": name, "_id": str(object_id)}}) + b"\n"
        for object_id in ids
    )


def bulk_body(body: bytes, **kwargs: Any) -> list[dict[str, Any]]:
    """Send a bulk request body made by ``index_body``; returns the refused items."""
    if not body:
        return []
    kwargs.setdefault("filter_path", BULK_RESPONSE)
    response = _call(client().bulk, body=body, **kwargs)
    if not response.get("errors"):
        return []
    return [
        {operation: result}
        for item in response["items"]
        for operation, result in item.items()
        if not 200 <= result.get("status", 500) < 300
    ]


def put_settings(name: str, settings_body: dict[str, Any]) -> None:
    """Change dynamic settings of index ``name`` (e.g. refresh_interval during a rebuild)."""
    _admin(client().indices.put_settings, index=name, body=settings_body)


def search(s: Search) -> Response:
    """Run an elasticsearch-dsl ``Search`` and wrap the raw answer in its ``Response``.

    An index that does not exist yet (a new site before its first ``search_index --rebuild``)
    makes search unavailable, not broken: the pages answer 503 with their message.
    """
    try:
        raw = _call(client().search, index=",".join(s._index or []), body=s.to_dict())
    except NotFoundError as error:
        raise EngineUnavailable(str(error)) from error
    return Response(s, raw)


def msearch(searches: list[Search]) -> list[Response]:
    """Run several ``Search`` requests in one round trip; the engine answers them side by
    side (its search threads), so the slowest sets the time, not their sum. A failed part
    fails the whole call, as ``search`` would have failed."""
    lines: list[dict[str, Any]] = []
    for s in searches:
        lines += [{"index": ",".join(s._index or [])}, s.to_dict()]
    raw = _call(client().msearch, body=lines)
    responses = []
    for s, answer in zip(searches, raw["responses"], strict=True):
        if "error" in answer:
            status = answer.get("status", 500)
            kind = answer["error"].get("type", "") if isinstance(answer["error"], dict) else ""
            if status in (502, 503, 504) or kind == "index_not_found_exception":
                raise EngineUnavailable(str(answer["error"]))
            raise TransportError(status, kind, answer["error"])
        responses.append(Response(s, answer))
    return responses


def health(timeout: float | None = None) -> dict[str, Any]:
    """Cluster health; raises ``EngineUnavailable`` when the engine does not answer."""
    wait = timeout or settings.HEALTH_PROBE_TIMEOUT_SECONDS
    return _call(client().cluster.health, request_timeout=wait)


def wait_for_copies(name: str, timeout: float = ADMIN_TIMEOUT_SECONDS) -> bool:
    """Wait until every copy of index ``name``'s shards (primaries and replicas) is started;
    False when ``timeout`` seconds ran out first (a cluster with fewer nodes than copies)."""
    answer = _call(
        client().cluster.health,
        index=name,
        wait_for_status="green",
        timeout=f"{int(timeout)}s",
        request_timeout=timeout + 10,
        ignore=408,  # the engine's "still not green" when its wait ends
    )
    return not answer.get("timed_out", False)


def exists(name: str) -> bool:
    """Whether an index or alias called ``name`` exists."""
    return bool(_call(client().indices.exists, index=name))


def alias_targets(alias: str) -> list[str]:
    """The physical indices behind ``alias`` (empty when the alias does not exist)."""
    if not _call(client().indices.exists_alias, name=alias):
        return []
    return sorted(_call(client().indices.get_alias, name=alias))


def mapping_meta(name: str) -> dict[str, Any]:
    """The ``_meta`` of the mapping of the index (or the alias's one index) ``name``."""
    mappings = _call(client().indices.get_mapping, index=name)
    return next(iter(mappings.values()), {}).get("mappings", {}).get("_meta", {})


def swap_alias(alias: str, new_index: str) -> list[str]:
    """Point ``alias`` at ``new_index`` only, in one atomic request; returns the old indices."""
    old = alias_targets(alias)
    actions = [{"remove": {"index": name, "alias": alias}} for name in old]
    actions.append({"add": {"index": new_index, "alias": alias}})
    _admin(client().indices.update_aliases, body={"actions": actions})
    return old


def scan(name: str, fields: list[str]) -> Iterable[tuple[str, dict[str, Any]]]:
    """(id, selected source fields) of every document in ``name`` (reconciliation)."""
    hits = _call(
        helpers.scan,
        client(),
        index=name,
        query={"_source": fields},
        size=2000,
        preserve_order=False,
    )
    try:
        for hit in hits:
            yield hit["_id"], hit.get("_source", {})
    except _UNREACHABLE as error:
        raise EngineUnavailable(str(error)) from error


def count(name: str) -> int:
    return int(_call(client().count, index=name)["count"])


def raw_search(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """Send a query body as is (benchmarks compare the service with this)."""
    return _call(client().search, index=name, body=body)


def raw_msearch(name: str, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """Send query bodies as is, in one round trip (benchmarks compare ``msearch`` with this)."""
    lines: list[dict[str, Any]] = []
    for body in bodies:
        lines += [{"index": name}, body]
    return _call(client().msearch, body=lines)
