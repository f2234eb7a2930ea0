"""The directory's facet counts over a large result: counted apart from the hits over the
first matches of each shard (``SEARCH_FACET_SAMPLE``) and scaled up to the whole result,
marked as estimates on the page and in the API; the total and the hits stay exact, and a
result within the sample is counted exactly, the same as in one request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.enterprises.search_indexes import SUPPLIERS
from portal.enterprises.supplier_search import supplier_search
from search import engine
from search.faceted import _estimate

pytestmark = [pytest.mark.engine, pytest.mark.django_db]

PROVINCE = "450000"  # every profile's region facet holds its province


@pytest.fixture
def five_suppliers(search_index, make_enterprise):
    for number, (region, ownership) in enumerate(
        [
            ("450103", "private"),
            ("450202", "state"),
            ("450305", "private"),
            ("451402", "mixed"),
            ("450103", "private"),
        ]
    ):
        make_enterprise(
            f"广西测试{number}号装备制造有限公司",
            region=region,
            industries=["D0201"],
            description="智能装备制造。",
            ownership=ownership,
        )
    make_enterprise(
        "南宁定向研究所有限公司", region="450103", industries=["D0201"], tier="targeted"
    )
    search_index()


def counts(results, facet: str) -> dict[str, int]:
    return {value.key: value.count for value in results.facets[facet]}


def request_cache_hits() -> int:
    stats = engine.client().indices.stats(index=SUPPLIERS.alias, metric="request_cache")
    return stats["_all"]["total"]["request_cache"]["hit_count"]


def test_a_repeated_search_has_its_facet_counts_from_the_engine_cache(
    five_suppliers, settings
) -> None:
    # The counts' request scores nothing, so it leaves out the overdue-profile weighting and
    # its clock (now-395d): a request without a clock is one the engine caches, and the
    # directory's first page is the search most often repeated.
    settings.SEARCH_FACET_SAMPLE = 100
    engine.client().indices.clear_cache(index=SUPPLIERS.alias, request=True)
    first = supplier_search(AnonymousUser(), "装备", {"region": ["450100"]})
    before = request_cache_hits()
    again = supplier_search(AnonymousUser(), "装备", {"region": ["450100"]})
    assert request_cache_hits() > before
    assert again.facets == first.facets and again.total == first.total == 2


def test_within_the_sample_counts_are_exact_and_equal_to_one_request(
    five_suppliers, settings
) -> None:
    settings.SEARCH_FACET_SAMPLE = 100
    split = supplier_search(AnonymousUser(), "", {"region": ["450100"]})
    settings.SEARCH_FACET_SAMPLE = 0
    single = supplier_search(AnonymousUser(), "", {"region": ["450100"]})
    assert not split.facets_estimated and not single.facets_estimated
    assert split.total == single.total == 2
    assert split.facets == single.facets
    assert split.relaxed == single.relaxed == {"region": 5}
    assert counts(split, "ownership") == {"private": 2}  # narrowed by the chosen region
    assert counts(split, "region")[PROVINCE] == 5  # the region facet ignores its own choice


def test_beyond_the_sample_counts_are_scaled_estimates(five_suppliers, settings) -> None:
    settings.SEARCH_FACET_SAMPLE = 2
    results = supplier_search(AnonymousUser(), "")
    assert results.facets_estimated
    assert results.total == 5 and len(results.hits) == 5  # exact, the targeted one left out
    # Scaled by five matches over the two counted: a value every match holds stays exact.
    assert counts(results, "region")[PROVINCE] == 5
    assert set(counts(results, "ownership")) <= {"private", "state", "mixed"}
    # Counted over one match, that match's ownership stands for all five.
    settings.SEARCH_FACET_SAMPLE = 1
    assert list(counts(supplier_search(AnonymousUser(), ""), "ownership").values()) == [5]


def test_a_chosen_facet_scales_by_its_exact_relaxed_count(five_suppliers, settings) -> None:
    settings.SEARCH_FACET_SAMPLE = 1
    results = supplier_search(AnonymousUser(), "", {"ownership": ["private"]})
    assert results.facets_estimated
    assert results.total == 3
    assert results.relaxed == {"ownership": 5}  # counted in the hits' request: exact
    ownership = counts(results, "ownership")
    assert "private" in ownership  # a chosen value stays listed
    assert sum(ownership.values()) == 5  # the population without the ownership choice
    assert counts(results, "region")[PROVINCE] == 3  # the others: under the choice


def test_the_page_and_the_api_say_the_counts_are_estimates(
    five_suppliers, settings, client
) -> None:
    settings.SEARCH_FACET_SAMPLE = 2
    page = client.get("/suppliers/").content.decode()
    assert "筛选项旁的数量按前一部分结果估算" in page
    assert "约 5" in page  # the province's count
    api = client.get("/api/v1/suppliers/").json()
    assert api["facets_estimated"] is True and api["count"] == 5
    settings.SEARCH_FACET_SAMPLE = 100
    page = client.get("/suppliers/").content.decode()
    assert "估算" not in page and "约 5" not in page
    assert client.get("/api/v1/suppliers/").json()["facets_estimated"] is False


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, 0), (0.4, 1), (7.5, 8), (56.7, 57), (567, 570), (12_345, 12_000), (987_654, 990_000)],
)
def test_estimates_are_rounded_to_two_significant_figures(value, shown) -> None:
    assert _estimate(value) == shown
