"""Search terms are recorded by the supplier search page and API, cheaply and safely."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from portal.statistics.models import SearchTerm
from portal.statistics.recording import normalise_term, record_search


def test_normalise_term() -> None:
    assert normalise_term("  石墨烯   导热膜 ") == "石墨烯 导热膜"
    assert normalise_term("ＧＪＢ９００１Ｃ") == "gjb9001c"
    assert normalise_term(None) == ""
    assert len(normalise_term("北" * 300)) == 100


@pytest.mark.django_db
def test_record_search_upserts_one_row_per_term_and_day() -> None:
    record_search("稀土永磁", 0)
    record_search(" 稀土永磁 ", 0)
    record_search("稀土永磁", 12)
    record_search("稀土永磁", 0, page="2")  # paging is not a new search
    record_search("   ", 0)  # browsing the directory is not a search term
    row = SearchTerm.objects.get()
    assert (row.term, row.day, row.searches, row.zero_results) == (
        "稀土永磁",
        timezone.localdate(),
        3,
        2,
    )


@pytest.mark.django_db
def test_a_failing_record_never_breaks_the_search(caplog) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE statistics_searchterm RENAME TO statistics_searchterm_gone")
    try:
        record_search("北斗", 0)  # no exception
        assert "Could not record the search term" in caplog.text
        with connection.cursor() as cursor:  # and the connection is still usable
            cursor.execute("SELECT 1")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE statistics_searchterm_gone RENAME TO statistics_searchterm")


@pytest.fixture
def one_supplier(search_index, make_enterprise):
    make_enterprise(
        "南宁北斗导航科技有限公司",
        region="450103",
        industries=["D0101"],
        description="北斗导航终端。",
        products=[{"name": "北斗导航终端", "description": ""}],
    )
    search_index()


@pytest.mark.engine
@pytest.mark.django_db
def test_supplier_page_and_api_record_zero_result_terms(client, one_supplier) -> None:
    assert client.get("/suppliers/", {"q": "北斗"}).status_code == 200
    assert client.get("/suppliers/", {"q": "石墨烯散热膜"}).status_code == 200
    api = client.get("/api/v1/suppliers/", {"q": "石墨烯散热膜"})
    assert api.status_code == 200 and api.json()["count"] == 0
    assert client.get("/api/v1/suppliers/", {"q": "北斗", "page": 2}).status_code == 200
    rows = {t.term: (t.searches, t.zero_results) for t in SearchTerm.objects.all()}
    assert rows == {"北斗": (1, 0), "石墨烯散热膜": (2, 2)}
