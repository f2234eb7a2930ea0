"""What every index mapping shares (elasticsearch-dsl): analyzers, the release fields, settings.

The apps declare their own document classes on ``ReleasedDocument`` (``search_indexes.py``).
Mappings are strict: a document is built from an explicit field list, so a model field never
reaches the index by accident. Each text field comes twice: ``<field>`` with
the engine's CJK bigram analysis (phrases of any characters) and ``<field>_words`` holding
jieba's segmentation, analysed on whitespace with domain synonyms at query time (words).

The bigram fields index single characters too, but queries are analysed into character pairs
only: a term of two or more characters then never matches through a lone character it shares
with a document (无人机 through 机 of 机器人). A character typed on its own still finds itself
(the engine keeps a lone CJK character as one token).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
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
    char_filter,
    token_filter,
)

from .analysis import CODE_PATTERN, CODE_REPLACEMENT, synonyms
from .registry import SearchIndex

codes = char_filter(
    "portal_codes", type="pattern_replace", pattern=CODE_PATTERN, replacement=CODE_REPLACEMENT
)
#: The character fields' index analyzer: characters and character pairs.
CJK_ANALYZER = "portal_cjk"

cjk = analyzer(
    CJK_ANALYZER,
    tokenizer="standard",
    char_filter=[codes],
    filter=[
        "cjk_width",
        "lowercase",
        token_filter("portal_bigram", type="cjk_bigram", output_unigrams=True),
    ],
)
cjk_search = analyzer(
    "portal_cjk_search",
    tokenizer="standard",
    char_filter=[codes],
    filter=[
        "cjk_width",
        "lowercase",
        token_filter("portal_pairs", type="cjk_bigram", output_unigrams=False),
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
    """A text field with the CJK bigram analysis: characters and pairs indexed, pairs searched."""
    return Text(analyzer=cjk, search_analyzer=cjk_search)


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


#: A shard's segments are searched in parallel slices, so that one search (its scoring and its
#: facet counts over every match) uses the node's cores instead of one: at a million profiles
#: the cost of a search grows with its matches (docs/operations.md, "Growth").
CONCURRENT_SEARCH = {
    "search.concurrent_segment_search.mode": "all",
    "search.concurrent.max_slice_count": 2,
}


def build_index(index: SearchIndex, physical_name: str) -> Index:
    """The elasticsearch-dsl Index for a new physical index behind ``index``'s alias, its
    design's fingerprint in the mapping's ``_meta`` (``design``). Shards and replicas come
    from the settings (``SEARCH_SHARDS``, ``SEARCH_REPLICAS``): one node or a cluster."""
    built = Index(physical_name)
    built.settings(
        number_of_shards=settings.SEARCH_SHARDS,
        number_of_replicas=settings.SEARCH_REPLICAS,
        refresh_interval="1s",
        **CONCURRENT_SEARCH,
    )
    built.document(index.document)
    built.get_or_create_mapping().meta("_meta", {"design": design(built)})
    return built


def design(built: Index) -> str:
    """A fingerprint of an index's mapping and analysis: a new analyzer, field or synonym gives
    a new one, and ``indexing.ensure`` rebuilds an index whose fingerprint is not the code's.
    The shard count is part of it (only a rebuild changes it); the replica count is not, since
    a live index takes a new one without a rebuild (``indexing.ensure`` sets it). It counts as
    the one-node 0 it always was, so that indices built before it was a setting keep their
    fingerprint and are not rebuilt for nothing."""
    body = built.to_dict()
    body.get("mappings", {}).pop("_meta", None)
    # A copy: ``to_dict`` hands out the index's own settings.
    body["settings"] = {**body.get("settings", {}), "number_of_replicas": 0}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
