"""The rebuild's bulk load (search/loading.py) keeps its results whichever way it runs: builder
processes or this thread, chunked and overlapped sends load every document, identical to the
documents built here; a refused document fails the rebuild and keeps the old index."""

from __future__ import annotations

import pytest

from portal.enterprises.search_indexes import SUPPLIERS
from search import engine, indexing, loading
from search.engine import OrjsonSerializer
from search.registry import alias


def _indexed_sources() -> dict[str, dict]:
    hits = engine.raw_search(alias("enterprises"), {"size": 100})["hits"]["hits"]
    return {hit["_id"]: hit["_source"] for hit in hits}


def _refused(real):
    """``documents`` with a field the strict mapping refuses in every document."""

    def broken(ids=None):
        for object_id, source in real(ids):
            yield object_id, {**source, "not_in_mapping": 1}

    return broken


def _as_json(sources: dict) -> dict[str, dict]:
    """Built sources as the engine returns them (dates and times as ISO strings)."""
    serializer = OrjsonSerializer()
    return {str(pk): serializer.loads(serializer.dumps(source)) for pk, source in sources.items()}


@pytest.mark.django_db
def test_inside_a_transaction_the_load_builds_in_this_thread(
    search_index, make_enterprise, monkeypatch
):
    """A test's rows are not committed: builder processes could not see them."""
    search_index()
    made = [make_enterprise(f"北斗导航设备厂{number}") for number in range(7)]
    monkeypatch.setattr(loading, "CHUNK", 2)  # four chunks, two sending threads in flight
    assert not loading.builder_processes_usable()

    physical, loaded = indexing.rebuild("enterprises")

    assert loaded == 7
    assert engine.alias_targets(alias("enterprises")) == [physical]
    settings = engine.client().indices.get_settings(index=physical)[physical]["settings"]
    assert settings["index"]["refresh_interval"] == "1s"
    assert set(_indexed_sources()) == {str(enterprise.pk) for enterprise in made}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_builder_processes_load_the_documents_built_here(
    search_index, make_enterprise, monkeypatch
):
    search_index()
    made = [
        make_enterprise(
            f"石墨烯材料厂{number}",
            products=[{"name": "石墨烯导热膜", "description": f"第{number}代"}],
        )
        for number in range(9)
    ]
    monkeypatch.setattr(loading, "CHUNK", 2)  # five chunks over two builder processes
    monkeypatch.setattr(loading, "PROCESSES", 2)
    assert loading.builder_processes_usable()

    physical, loaded = indexing.rebuild("enterprises")

    assert loaded == 9
    assert engine.alias_targets(alias("enterprises")) == [physical]
    expected = _as_json(dict(SUPPLIERS.build(None)))
    assert set(expected) == {str(enterprise.pk) for enterprise in made}
    assert _indexed_sources() == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_document_refused_in_a_builder_process_fails_the_rebuild(
    search_index, make_enterprise, monkeypatch
):
    search_index()
    make_enterprise("稀土永磁材料厂")
    before = engine.alias_targets(alias("enterprises"))
    monkeypatch.setattr(SUPPLIERS, "build", _refused(SUPPLIERS.build))  # forks inherit it
    monkeypatch.setattr(loading, "PROCESSES", 2)
    with pytest.raises(RuntimeError, match="refused 1 documents"):
        indexing.rebuild("enterprises")
    assert engine.alias_targets(alias("enterprises")) == before


@pytest.mark.django_db
def test_a_refused_document_fails_the_rebuild_and_keeps_the_old_index(
    search_index, make_enterprise, monkeypatch
):
    search_index()
    make_enterprise("石墨烯材料厂")
    before = engine.alias_targets(alias("enterprises"))
    monkeypatch.setattr(SUPPLIERS, "build", _refused(SUPPLIERS.build))
    with pytest.raises(RuntimeError, match="refused 1 documents"):
        indexing.rebuild("enterprises")
    assert engine.alias_targets(alias("enterprises")) == before
