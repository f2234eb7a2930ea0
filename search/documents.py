"""What every index mapping shares (elasticsearch-dsl): analyzers, the release fields, settings.

The apps declare their own document classes on ``ReleasedDocument`` (``search_indexes.py``).
Mappings are strict: a document is built from an explicit field list, so a model field never
reaches the index by accident. Each text field comes twice: ``<field>`` with
the engine's CJK bigram analysis (recall) and ``<field>_words`` holding jieba's segmentation,
analysed on whitespace with domain synonyms at query time (precision).
"""

from __future__ import annotations

from typing import Any

from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    InnerDoc,
    Keyword,
    MetaField,
    Nested,
    Text,
    analyzer,
    token_filter,
)

from .analysis import synonyms
from .registry import SearchIndex

cjk = analyzer(
    "portal_cjk",
    tokenizer="standard",
    filter=[
        "cjk_width",
        "lowercase",
        token_filter("portal_bigram", type="cjk_bigram", output_unigrams=True),
    ],
)
words = analyzer("portal_words", tokenizer="whitespace", filter=["lowercase"])
words_search = analyzer(
    "portal_words_search",
    tokenizer="whitespace",
    filter=[
        "lowercase",
        token_filter("portal_synonyms", type="synonym_graph", synonyms=synonyms(), lenient=True),
    ],
)
suggest_index = analyzer(
    "portal_suggest",
    tokenizer="keyword",
    filter=[
        "cjk_width",
        "lowercase",
        token_filter("portal_edge", type="edge_ngram", min_gram=1, max_gram=24),
    ],
)
suggest_search = analyzer("portal_suggest_search", tokenizer="keyword", filter=["lowercase"])


def text() -> Text:
    """A text field with the CJK bigram analysis (recall)."""
    return Text(analyzer=cjk)


def words_field() -> Text:
    """A ``*_words`` field: jieba's segmentation, with synonyms at query time (precision)."""
    return Text(analyzer=words, search_analyzer=words_search)


class TimedGrant(InnerDoc):
    """A targeted grant that ends: the policy's filter compares ``until`` with the engine's now."""

    principal = Keyword()
    until = Date()


class ReleasedDocument(Document):
    """The base of every document: its release tier and the principals who may read it beyond
    that tier, which the policy's engine filter (``policy.search_filter``) compares with the
    reader's. Mappings are strict: a field a builder does not declare is refused."""

    tier = Keyword()
    grants = Keyword()
    timed_grants = Nested(TimedGrant)

    class Meta:
        dynamic = MetaField("strict")


def release_fields(tier: str, access: dict[str, list]) -> dict[str, Any]:
    """The source fields of ``ReleasedDocument``: the item's tier and its principals (from
    ``policy.index_principals``)."""
    return {
        "tier": tier,
        "grants": access.get("grants", []),
        "timed_grants": access.get("timed_grants", []),
    }


def build_index(index: SearchIndex, physical_name: str) -> Index:
    """The elasticsearch-dsl Index for a new physical index behind ``index``'s alias."""
    built = Index(physical_name)
    built.settings(number_of_shards=1, number_of_replicas=0, refresh_interval="1s")
    built.document(index.document)
    return built
