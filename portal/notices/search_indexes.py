"""The notices index: live supply-demand notices at their release tier, declared for the
search service (``search.registry``).

Only text at the notice's own tier is indexed (contact, budget, attachments and requirements
above it are left out), so hits and highlights never reveal a redacted field. A notice whose
body sits above its tier (a stub) is indexed by its stub alone: title, kind, region, deadline.
``deadline`` and ``expire_at`` are dates compared with the engine's now at query time:
open/closed and expiry need no re-index when the clock passes them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from elasticsearch_dsl import Date, Keyword

from classification import policy
from classification.tiers import rank
from portal.enterprises.search_indexes import industry_labels, region_labels
from search.analysis import segment
from search.documents import ReleasedDocument, release_fields, text, words_field
from search.pages import page_documents, page_hit, released_pages, stream_text
from search.registry import SearchIndex

from .blocks import NoticeBodyBlock
from .models import Kind, NoticePage


class NoticeDocument(ReleasedDocument):
    """One live supply-demand notice (a Wagtail page), at its release tier."""

    title = text()
    title_words = words_field()
    summary = text()
    summary_words = words_field()
    body = text()
    body_words = words_field()

    kind = Keyword()
    industry = Keyword()
    region = Keyword()
    region_code = Keyword()
    deadline = Date()
    expire_at = Date()
    published_at = Date()
    updated_at = Date()
    url = Keyword(index=False, doc_values=False)


def indexable() -> QuerySet:
    return released_pages(NoticePage)


def notice_document(notice: NoticePage, access: dict[str, list]) -> dict[str, Any]:
    """The source of one notice document: requirements blocks only when their field tier
    does not exceed the notice's own, so nobody finds a notice by words they may not read; for
    a stub, no summary, body or industries at all."""
    stub = rank(policy.field_tier(notice, "body")) > rank(notice.tier)
    hidden = [
        block_type
        for block_type, field_name in NoticeBodyBlock.REDACTABLE.items()
        if rank(policy.field_tier(notice, field_name)) > rank(notice.tier)
    ]
    body = "" if stub else stream_text(notice.body, skip=hidden)
    summary = "" if stub else notice.summary
    industries: list[str] = []
    for industry in [] if stub else notice.industries.all():
        industries.extend(industry.ancestor_codes())
    return {
        **release_fields(notice.tier, access),
        "title": notice.title,
        "title_words": segment(notice.title, for_index=True),
        "summary": summary,
        "summary_words": segment(summary, for_index=True),
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


def documents(ids=None):
    queryset = indexable().select_related("region").prefetch_related("industries")
    return page_documents(queryset, notice_document, ids)


def kind_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Kind.choices}


def _is_open(deadline: str | None, now: datetime) -> bool:
    if not deadline:
        return True
    parsed = parse_datetime(deadline)
    return parsed is None or parsed >= now


def present(hit) -> dict[str, Any]:
    """A notice hit as the site search shows it (only fields indexed at the notice's tier)."""
    source = hit.source
    kind = source.get("kind", "")
    region = source.get("region_code")
    industries = industry_labels()
    return {
        **page_hit(hit),
        "kind": kind,
        "kind_label": kind_labels().get(kind, ""),
        "region": {"code": region, "name": region_labels().get(region, "")} if region else None,
        "industries": [
            {"code": code, "name": industries.get(code, code)}
            for code in source.get("industry", [])
        ],
        "deadline": source.get("deadline"),
        "is_open": _is_open(source.get("deadline"), timezone.now()),
    }


NOTICES = SearchIndex(
    name="notices",
    document=NoticeDocument,
    model=NoticePage,
    indexable=indexable,
    build=documents,
    hit_type="notice",
    present=present,
    bigram_fields=("title^3", "summary^2", "body"),
    word_fields=("title_words^5", "summary_words^3", "body_words^1.5"),
    phrase_fields=("title^3", "summary^2", "body"),
    highlight_whole=("title",),
    highlight_fragments=("summary", "body"),
    hidden_source=("*_words", "body", "grants", "timed_grants"),
    pages=True,
)
