"""What the indices of Wagtail pages share: what may be indexed and the text of a body.

The page row holds the published content (drafts live in revisions), so a document is built
from the row, never from a revision: a draft cannot reach the engine. StreamField bodies are
flattened to plain text with each block's own ``get_searchable_content``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from django.db.models import DateTimeField, QuerySet, Value
from django.db.models.functions import Coalesce

from classification import policy

#: The body text indexed per page (a 40-page paper fits; beyond that recall gains little).
MAX_BODY = 200_000
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
#: Pages per chunk of a build.
CHUNK = 200


def released_pages(model) -> QuerySet:
    """Released pages of ``model``, with ``updated_at`` (the last publication) that
    ``indexing.check`` compares with the document's."""
    released = policy.declaration(model).released()
    return model.objects.filter(released).annotate(
        updated_at=Coalesce(
            "last_published_at", "first_published_at", Value(_EPOCH), output_field=DateTimeField()
        )
    )


def stream_text(stream, skip: Iterable[str] = ()) -> str:
    """The plain text of a StreamField value, block by block, leaving out ``skip`` types."""
    skipped = set(skip)
    parts: list[str] = []
    for block in stream:
        if block.block_type in skipped:
            continue
        parts.extend(str(text) for text in block.block.get_searchable_content(block.value) if text)
    return "\n".join(parts)[:MAX_BODY]


def page_documents(
    queryset: QuerySet,
    build: Callable[[Any, dict[str, list]], dict[str, Any]],
    ids: Iterable[int] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(id, source) for every page of ``queryset`` (or those among ``ids``), in chunks, each
    chunk's grants read in one go."""
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    queryset = queryset.order_by("pk")
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:CHUNK])
        if not batch:
            return
        access = policy.index_principals(queryset.model, [page.pk for page in batch])
        for page in batch:
            yield page.pk, build(page, access.get(page.pk, {}))
        last = batch[-1].pk


def page_hit(hit) -> dict[str, Any]:
    """What every page hit shows (its index adds its own fields): the fields indexed at the
    page's own tier only."""
    source = hit.source
    return {
        "type": hit.type,
        "id": hit.id,
        "title": source.get("title", ""),
        "summary": source.get("summary", ""),
        "tier": source.get("tier", ""),
        "url": source.get("url", ""),
        "published_at": source.get("published_at"),
        "highlight": hit.highlight,
    }
