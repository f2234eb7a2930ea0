"""The rebuild's speed measures (bench/indexing.py) keep its results: overlapped chunked sends
load every document, the refresh interval is put back, and cached segmentation cuts exactly
as jieba does on the whole text."""

from __future__ import annotations

import jieba
import pytest

from search import analysis, engine, indexing
from search.documents import alias


@pytest.mark.django_db
def test_rebuild_in_small_chunks_loads_everything_and_restores_refresh(
    search_index, make_enterprise, monkeypatch
):
    search_index()
    made = [make_enterprise(f"北斗导航设备厂{number}") for number in range(7)]
    monkeypatch.setattr(indexing, "REBUILD_CHUNK", 2)  # four chunks, two threads in flight

    physical, loaded = indexing.rebuild("enterprises")

    assert loaded == 7
    assert engine.alias_targets(alias("enterprises")) == [physical]
    assert engine.count(alias("enterprises")) == 7
    settings = engine.client().indices.get_settings(index=physical)[physical]["settings"]
    assert settings["index"]["refresh_interval"] == "1s"
    hits = engine.raw_search(alias("enterprises"), {"size": 20})["hits"]["hits"]
    ids = {hit["_id"] for hit in hits}
    assert ids == {str(enterprise.pk) for enterprise in made}


@pytest.mark.django_db
def test_a_refused_document_fails_the_rebuild_and_keeps_the_old_index(
    search_index, make_enterprise, monkeypatch
):
    search_index()
    make_enterprise("石墨烯材料厂")
    before = engine.alias_targets(alias("enterprises"))
    real = indexing.documents

    def broken(name, ids=None):
        for object_id, source in real(name, ids):
            yield object_id, {**source, "not_in_mapping": 1}  # strict mapping refuses it

    monkeypatch.setattr(indexing, "documents", broken)
    with pytest.raises(RuntimeError, match="refused 1 documents"):
        indexing.rebuild("enterprises")
    assert engine.alias_targets(alias("enterprises")) == before


TEXTS = [
    "广西北斗导航科技有限公司成立于2010年，主要产品有北斗高精度定位终端、RTK高精度定位算法。",
    "GJB 9001C-2017 质量管理体系认证；稀土永磁材料/钕铁硼永磁体 ＡＢＣ１２３ φ100mm",
    "武器装备科研生产许可证\n石墨烯导热膜\t\t无人机 飞控系统（固定翼）",
    "",
    "   ",
]


@pytest.mark.parametrize("for_index", [True, False])
def test_cached_segmentation_equals_jieba_on_the_whole_text(for_index):
    tokenizer = analysis._tokenizer()
    cut = tokenizer.cut_for_search if for_index else tokenizer.cut
    for text in TEXTS:
        whole = (word.strip() for word in cut(text, HMM=True))
        expected = " ".join(w for w in whole if w and any(ch.isalnum() for ch in w))
        assert analysis.segment(text, for_index=for_index) == expected
    assert analysis._BLOCK is jieba.re_han_default
