"""Search terms are recorded by the supplier search page and API, cheaply and safely."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from portal.statistics import recording
from portal.statistics.models import SearchTerm
from portal.statistics.recording import is_search_term, normalise_term, record_search

CLIENT = "203.0.113.7"


def test_normalise_term() -> None:
    assert normalise_term("  石墨烯   导热膜 ") == "石墨烯 导热膜"
    assert normalise_term("ＧＪＢ９００１Ｃ") == "gjb9001c"
    assert normalise_term(None) == ""
    assert len(normalise_term("北" * 300)) == 100


@pytest.mark.django_db
def test_record_search_upserts_one_row_per_term_and_day() -> None:
    record_search("稀土永磁", 0, client=CLIENT)
    record_search(" 稀土永磁 ", 0, client=CLIENT)
    record_search("稀土永磁", 12, client=CLIENT)
    record_search("稀土永磁", 0, page="2", client=CLIENT)  # paging is not a new search
    record_search("稀土永磁", 0, client=CLIENT, filtered=True)  # narrowed by facets
    record_search("   ", 0, client=CLIENT)  # browsing the directory is not a search term
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
        record_search("北斗", 0, client=CLIENT)  # no exception
        assert "Could not record the search term" in caplog.text
        with connection.cursor() as cursor:  # and the connection is still usable
            cursor.execute("SELECT 1")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE statistics_searchterm_gone RENAME TO statistics_searchterm")


@pytest.mark.parametrize(
    "term",
    ["北斗导航终端", "gjb9001c", "gb/t 19001", "石墨烯 0.5mm", "rtk", "稀土永磁电机 柳州"],
)
def test_what_people_type_is_a_search_term(term) -> None:
    assert is_search_term(normalise_term(term))


@pytest.mark.parametrize(
    "term",
    [
        "evil.example",
        "www.evil.example",
        "https://evil.example/x",
        "北斗 evil.example",
        "admin@evil.example",
        "javascript:alert(1)",
        "<script>alert(1)</script>",
        "{{7*7}}",
        "../../etc/passwd",
        "北斗\x00终端",
        "北斗\u200b终端",
        "12345",
        "-- ;",
        "北" * 51,
    ],
)
def test_junk_is_not_a_search_term(term) -> None:
    assert not is_search_term(normalise_term(term))


@pytest.mark.django_db
def test_junk_and_long_terms_are_not_recorded() -> None:
    for junk in ("evil.example", "<b>北斗</b>", "北" * 51, "2026"):
        record_search(junk, 0, client=CLIENT)
    record_search("北" * 50, 0, client=CLIENT)
    assert list(SearchTerm.objects.values_list("term", flat=True)) == ["北" * 50]


@pytest.mark.django_db
def test_each_client_records_a_few_terms_a_minute(monkeypatch) -> None:
    monkeypatch.setattr(recording, "TERMS_PER_CLIENT_PER_MINUTE", 3)
    for n in range(6):
        record_search(f"石墨烯{n}", 0, client=CLIENT)
    record_search("石墨烯 另一位", 0, client="198.51.100.23")
    terms = set(SearchTerm.objects.values_list("term", flat=True))
    assert terms == {"石墨烯0", "石墨烯1", "石墨烯2", "石墨烯 另一位"}


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


@pytest.mark.engine
@pytest.mark.django_db
def test_supplier_page_drops_probes_and_limits_each_client(
    client, settings, one_supplier, monkeypatch
) -> None:
    monkeypatch.setattr(recording, "TERMS_PER_CLIENT_PER_MINUTE", 2)
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/suppliers/", {"q": "evil.example"}).status_code == 200
    assert client.get("/api/v1/suppliers/", {"q": "北斗 evil.example"}).status_code == 200
    assert client.get("/suppliers/", {"q": "北斗", "region": "450100"}).status_code == 200
    behind_proxy = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": CLIENT}
    for term in ("雷达", "无人机", "激光"):
        client.get("/suppliers/", {"q": term}, **behind_proxy)
    other = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.23"}
    client.get("/suppliers/", {"q": "激光"}, **other)
    rows = {t.term: t.searches for t in SearchTerm.objects.all()}
    assert rows == {"雷达": 1, "无人机": 1, "激光": 1}
