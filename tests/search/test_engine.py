"""The engine seam: an elasticsearch-dsl Document's index created, filled and searched through
opensearch-py, with highlighted Chinese hits."""

from __future__ import annotations

import uuid

import pytest
from elasticsearch_dsl import Document, Index, Keyword, Text, analyzer, token_filter
from elasticsearch_dsl.query import Match

from search import engine

cjk = analyzer(
    "cjk_text",
    tokenizer="standard",
    filter=["cjk_width", "lowercase", token_filter("cjk_pairs", "cjk_bigram")],
)


class Capability(Document):
    name = Text(analyzer=cjk)
    region = Keyword()


@pytest.fixture
def capability_index(search_engine):
    index = Index(engine.index_name(f"probe-{uuid.uuid4().hex[:8]}"))
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(Capability)
    engine.create_index(index)
    yield index
    engine.delete_index(index._name)


@pytest.mark.engine
def test_index_from_document_search_and_highlight(capability_index) -> None:
    docs = {
        "1": {"name": "北斗导航终端研发与制造", "region": "450100"},
        "2": {"name": "石墨烯导热膜", "region": "450200"},
        "3": {"name": "稀土永磁电机", "region": "450300"},
    }
    _count, body = engine.index_body(capability_index._name, docs.items())
    assert engine.bulk_body(body) == []
    engine.refresh(capability_index._name)

    mapping = engine.client().indices.get_mapping(index=capability_index._name)
    assert mapping[capability_index._name]["mappings"]["properties"]["name"]["analyzer"] == (
        "cjk_text"
    )

    search = (
        Capability.search(index=capability_index._name)
        .query(Match(name="北斗导航"))
        .highlight("name", pre_tags=["<mark>"], post_tags=["</mark>"])
    )
    response = engine.search(search)
    assert response.hits.total.value == 1
    hit = response.hits[0]
    assert hit.meta.id == "1"
    assert hit.region == "450100"
    fragment = hit.meta.highlight.name[0]
    assert fragment.startswith("<mark>北斗")
    assert fragment.endswith("终端研发与制造")


@pytest.mark.engine
def test_unreachable_engine_raises_engine_unavailable(settings) -> None:
    settings.SEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    engine.client.cache_clear()
    try:
        with pytest.raises(engine.EngineUnavailable):
            engine.health(timeout=1)
    finally:
        engine.client.cache_clear()


@pytest.mark.engine
def test_a_node_that_does_not_answer_is_passed_over(search_engine, settings) -> None:
    """SEARCH_URL lists a dead node beside the live one: every request still answers."""
    live = settings.SEARCH_URL
    settings.SEARCH_URL = f"http://127.0.0.1:9, {live}"
    engine.client.cache_clear()
    try:
        assert engine.hosts() == ["http://127.0.0.1:9", live]
        for _attempt in range(4):  # whichever node the client tries first
            assert engine.health(timeout=2)["status"] in ("green", "yellow")
    finally:
        engine.client.cache_clear()


@pytest.mark.engine
def test_waiting_for_copies_one_node_cannot_place_ends_false(search_engine) -> None:
    """A replica on a lone node is never started: the wait ends, it does not raise or hang."""
    index = Index(engine.index_name(f"probe-{uuid.uuid4().hex[:8]}"))
    index.settings(number_of_shards=1, number_of_replicas=1)
    engine.create_index(index)
    try:
        assert engine.wait_for_copies(index._name, timeout=1) is False
        engine.put_settings(index._name, {"index": {"number_of_replicas": 0}})
        assert engine.wait_for_copies(index._name, timeout=5) is True
    finally:
        engine.delete_index(index._name)
