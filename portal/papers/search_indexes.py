"""The papers index: live white and blue papers at their release tier, declared for the
search service (``search.registry``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from elasticsearch_dsl import Date, Keyword

from search.analysis import segment
from search.documents import ReleasedDocument, release_fields, text, words_field
from search.pages import page_documents, page_hit, released_pages, stream_text
from search.registry import SearchIndex

from .models import PaperPage


class PaperDocument(ReleasedDocument):
    """One live white or blue paper (a Wagtail page), at its release tier."""

    title = text()
    title_words = words_field()
    subtitle = text()
    summary = text()
    summary_words = words_field()
    body = text()
    body_words = words_field()

    kind = Keyword()
    issuing_body = Keyword()
    issue_date = Date()
    published_at = Date()
    updated_at = Date()
    url = Keyword(index=False, doc_values=False)


def indexable() -> QuerySet:
    return released_pages(PaperPage)


def paper_document(paper: PaperPage, access: dict[str, list]) -> dict[str, Any]:
    """The source of one paper document."""
    body = stream_text(paper.body)
    return {
        **release_fields(paper.tier, access),
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


def documents(ids=None):
    return page_documents(indexable(), paper_document, ids)


def present(hit) -> dict[str, Any]:
    """A paper hit as the site search shows it."""
    source = hit.source
    return {
        **page_hit(hit),
        "subtitle": source.get("subtitle", ""),
        "kind": source.get("kind", ""),
        "issuing_body": source.get("issuing_body", ""),
        "issue_date": source.get("issue_date"),
    }


PAPERS = SearchIndex(
    name="papers",
    document=PaperDocument,
    model=PaperPage,
    indexable=indexable,
    build=documents,
    hit_type="paper",
    present=present,
    bigram_fields=("title^3", "subtitle^2", "summary^2", "body"),
    word_fields=("title_words^5", "summary_words^3", "body_words^1.5"),
    phrase_fields=("title^3", "subtitle^2", "summary^2", "body"),
    highlight_whole=("title",),
    highlight_fragments=("summary", "body"),
    hidden_source=("*_words", "body", "grants", "timed_grants"),
    pages=True,
)
