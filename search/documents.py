"""Index mappings (elasticsearch-dsl), and nothing else.

Mappings are strict: a document is built by ``search.builders`` from an explicit field list, so a
model field never reaches the index by accident. Each text field comes twice: ``<field>`` with
the engine's CJK bigram analysis (recall) and ``<field>_words`` holding jieba's segmentation,
analysed on whitespace with domain synonyms at query time (precision).
"""

from __future__ import annotations

from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    MetaField,
    Nested,
    Text,
    analyzer,
    token_filter,
)

from . import engine
from .analysis import synonyms

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


def _text() -> Text:
    return Text(analyzer=cjk)


def _words() -> Text:
    return Text(analyzer=words, search_analyzer=words_search)


class HeldQualification(InnerDoc):
    """A qualification with its validity, for matching "valid on the deadline"."""

    type = Keyword()
    level = Keyword()
    level_rank = Integer()
    valid_from = Date()
    valid_until = Date()


class TimedGrant(InnerDoc):
    """A targeted grant that ends: the policy's filter compares ``until`` with the engine's now."""

    principal = Keyword()
    until = Date()


class EnterpriseDocument(Document):
    """One approved enterprise profile in the supplier directory."""

    tier = Keyword()
    grants = Keyword()
    timed_grants = Nested(TimedGrant)

    uscc = Keyword()
    name = _text()
    name_words = _words()
    short_name = _text()
    offer = _text()
    offer_words = _words()
    description = _text()
    description_words = _words()
    summary = Keyword(index=False, doc_values=False)
    suggest = Text(analyzer=suggest_index, search_analyzer=suggest_search)
    suggest_phrases = Keyword(index=False, doc_values=False)

    industry = Keyword()
    region = Keyword()
    region_code = Keyword()
    qualification = Keyword()
    qualifications = Nested(HeldQualification)
    staff_size = Keyword()
    ownership = Keyword()
    updated_at = Date()

    class Meta:
        dynamic = MetaField("strict")


class NoticeDocument(Document):
    """One live supply-demand notice (a Wagtail page), at its release tier.

    Only text at the notice's own tier is indexed (contact, budget, attachments and
    requirements above it are left out), so hits and highlights never reveal a redacted field.
    ``deadline`` and ``expire_at`` are dates compared with the engine's now at query time:
    open/closed and expiry need no re-index when the clock passes them.
    """

    tier = Keyword()
    grants = Keyword()
    timed_grants = Nested(TimedGrant)

    title = _text()
    title_words = _words()
    summary = _text()
    summary_words = _words()
    body = _text()
    body_words = _words()

    kind = Keyword()
    industry = Keyword()
    region = Keyword()
    region_code = Keyword()
    deadline = Date()
    expire_at = Date()
    published_at = Date()
    updated_at = Date()
    url = Keyword(index=False, doc_values=False)

    class Meta:
        dynamic = MetaField("strict")


class PaperDocument(Document):
    """One live white or blue paper (a Wagtail page), at its release tier."""

    tier = Keyword()
    grants = Keyword()
    timed_grants = Nested(TimedGrant)

    title = _text()
    title_words = _words()
    subtitle = _text()
    summary = _text()
    summary_words = _words()
    body = _text()
    body_words = _words()

    kind = Keyword()
    issuing_body = Keyword()
    issue_date = Date()
    published_at = Date()
    updated_at = Date()
    url = Keyword(index=False, doc_values=False)

    class Meta:
        dynamic = MetaField("strict")


#: Logical index name -> Document class. The alias is ``<prefix>-<name>``.
DOCUMENTS: dict[str, type[Document]] = {
    "enterprises": EnterpriseDocument,
    "notices": NoticeDocument,
    "papers": PaperDocument,
}


def alias(name: str) -> str:
    return engine.index_name(name)


def build_index(name: str, physical_name: str) -> Index:
    """The elasticsearch-dsl Index for a new physical index behind alias ``name``."""
    index = Index(physical_name)
    index.settings(number_of_shards=1, number_of_replicas=0, refresh_interval="1s")
    index.document(DOCUMENTS[name])
    return index
