"""Documents of the content indices (notices and papers), built from live Wagtail pages.

The page row holds the published content (drafts live in revisions), so a document is built
from the row, never from a revision: a draft cannot reach the engine. StreamField bodies are
flattened to plain text with each block's own ``get_searchable_content``; a notice's
requirements blocks are indexed only when their field tier does not exceed the notice's own
tier, so that nobody finds a notice by words they would not be allowed to read in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from django.db.models import DateTimeField, QuerySet, Value
from django.db.models.functions import Coalesce

from classification import policy
from classification.tiers import rank

from .analysis import segment

#: The body text indexed per page (a 40-page paper fits; beyond that recall gains little).
MAX_BODY = 200_000
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

#: Logical index -> the page model it holds.
CONTENT_INDICES = ("notices", "papers")


def _model(name: str):
    if name == "notices":
        from portal.notices.models import NoticePage

        return NoticePage
    if name == "papers":
        from portal.papers.models import PaperPage

        return PaperPage
    raise KeyError(name)


def content_indexable(name: str) -> QuerySet:
    """Released pages of index ``name``, with ``updated_at`` (the last publication) that
    ``indexing.check`` compares with the document's, as it does for enterprises."""
    model = _model(name)
    released = policy.declaration(model).released()
    return model.objects.filter(released).annotate(
        updated_at=Coalesce(
            "last_published_at", "first_published_at", Value(_EPOCH), output_field=DateTimeField()
        )
    )


def _stream_text(stream, skip: Iterable[str] = ()) -> str:
    """The plain text of a StreamField value, block by block, leaving out ``skip`` types."""
    skipped = set(skip)
    parts: list[str] = []
    for block in stream:
        if block.block_type in skipped:
            continue
        parts.extend(str(text) for text in block.block.get_searchable_content(block.value) if text)
    return "\n".join(parts)[:MAX_BODY]


def _access(page, access: dict[str, list]) -> dict[str, Any]:
    return {
        "tier": page.tier,
        "grants": access.get("grants", []),
        "timed_grants": access.get("timed_grants", []),
    }


def notice_document(notice, access: dict[str, list]) -> dict[str, Any]:
    """The source of one notice document."""
    from portal.notices.blocks import NoticeBodyBlock

    hidden = [
        block_type
        for block_type, field_name in NoticeBodyBlock.REDACTABLE.items()
        if rank(policy.field_tier(notice, field_name)) > rank(notice.tier)
    ]
    body = _stream_text(notice.body, skip=hidden)
    industries: list[str] = []
    for industry in notice.industries.all():
        industries.extend(industry.ancestor_codes())
    return {
        **_access(notice, access),
        "title": notice.title,
        "title_words": segment(notice.title, for_index=True),
        "summary": notice.summary,
        "summary_words": segment(notice.summary, for_index=True),
        "body": body,
        "body_words": segment(body, for_index=True),
        "kind": notice.kind,
        "industry": sorted(set(industries)),
        "region": notice.region.ancestor_codes() if notice.region else [],
        "region_code": notice.region_id,
        "deadline": notice.deadline,
        "expire_at": notice.expire_at,
        "published_at": notice.first_published_at,
        "updated_at": notice.updated_at,
        "url": notice.get_url() or "",
    }


def paper_document(paper, access: dict[str, list]) -> dict[str, Any]:
    """The source of one paper document."""
    body = _stream_text(paper.body)
    return {
        **_access(paper, access),
        "title": paper.title,
        "title_words": segment(paper.title, for_index=True),
        "subtitle": paper.subtitle,
        "summary": paper.summary,
        "summary_words": segment(paper.summary, for_index=True),
        "body": body,
        "body_words": segment(body, for_index=True),
        "kind": paper.kind,
        "issuing_body": paper.issuing_body,
        "issue_date": paper.issue_date,
        "published_at": paper.first_published_at,
        "updated_at": paper.updated_at,
        "url": paper.get_url() or "",
    }


def content_documents(
    name: str, ids: Iterable[int] | None = None, chunk: int = 200
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(id, source) for every indexable page of ``name`` (or of ``ids`` among them)."""
    model = _model(name)
    build = notice_document if name == "notices" else paper_document
    queryset = content_indexable(name)
    if name == "notices":
        queryset = queryset.select_related("region").prefetch_related("industries")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    queryset = queryset.order_by("pk")
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:chunk])
        if not batch:
            return
        access = policy.index_principals(model, [page.pk for page in batch])
        for page in batch:
            yield page.pk, build(page, access.get(page.pk, {}))
        last = batch[-1].pk
