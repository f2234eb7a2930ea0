"""The site-search API and page, and the notices API's ``q`` through the search service: the
response shapes, types, tier filtering, bad parameters as 400 in the error shape, and the
engine down as 503 (JSON ``search_unavailable``; a page with an explanation)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from portal.accounts import roles
from search import engine
from tests.factories import UserFactory
from tests.search.content_fixtures import (
    create_notice,
    create_short_paper,
    create_supplier,
    module_database,
    module_index,
)

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    """A small corpus indexed once for the module (these tests only read)."""
    with django_db_blocker.unblock(), module_database(), module_index() as sync:
        made = {
            "notice": create_notice(
                "北斗短报文终端采购需求",
                "采购北斗短报文终端 50 台。",
                paragraphs=("用于边境巡逻的卫星导航终端。",),
                region="450103",
                industries=("D0101",),
            ),
            "closed": create_notice(
                "北斗授时设备供给",
                "北斗授时设备批量供给。",
                kind="supply",
                deadline=timezone.now() - timedelta(days=1),
            ),
            "vetted": create_notice("北斗抗干扰天线需求", "北斗抗干扰天线。", tier="vetted"),
            "paper": create_short_paper("广西北斗产业白皮书", "北斗导航产业链。"),
            "enterprise": create_supplier("南宁北斗导航科技有限公司", "北斗导航终端。"),
            "procurement": UserFactory(roles=[roles.PROCUREMENT]),
        }
        for number in range(25):
            create_notice(f"石墨烯材料需求{number}号", "石墨烯导热膜。", region="450305")
        sync()
        yield made


def test_site_search_api_all_types_and_one_type(client, content) -> None:
    body = client.get("/api/v1/search/", {"q": "北斗"}).json()
    assert body["count"] == 4
    assert {hit["type"] for hit in body["results"]} == {"enterprise", "notice", "paper"}
    counts = {v["key"]: v["count"] for v in body["facets"]["type"]}
    assert counts == {"enterprise": 1, "notice": 2, "paper": 1}
    notice = next(hit for hit in body["results"] if hit["id"] == content["notice"].pk)
    assert notice["url"] == content["notice"].url
    assert notice["region"] == {"code": "450103", "name": "青秀区"}
    assert notice["is_open"] is True and notice["kind"] == "demand"
    assert any("<mark>" in f for fragments in notice["highlight"].values() for f in fragments)
    closed = next(hit for hit in body["results"] if hit["id"] == content["closed"].pk)
    assert closed["is_open"] is False
    papers = client.get("/api/v1/search/", {"q": "北斗", "type": "paper"}).json()
    assert [hit["title"] for hit in papers["results"]] == ["广西北斗产业白皮书"]
    enterprise = client.get("/api/v1/search/", {"q": "北斗", "type": "enterprise"}).json()
    assert enterprise["results"][0]["uscc"] == content["enterprise"].uscc


def test_site_search_api_counts_follow_the_tier(client, content) -> None:
    anonymous = client.get("/api/v1/search/", {"q": "抗干扰天线"}).json()
    assert anonymous["count"] == 0
    client.force_login(content["procurement"])
    vetted = client.get("/api/v1/search/", {"q": "抗干扰天线"}).json()
    assert vetted["count"] == 1 and vetted["results"][0]["tier"] == "vetted"


def test_site_search_api_pages(client, content) -> None:
    first = client.get("/api/v1/search/", {"q": "石墨烯", "page_size": 10}).json()
    third = client.get("/api/v1/search/", {"q": "石墨烯", "page_size": 10, "page": 3}).json()
    assert first["count"] == 25 and first["pages"] == 3
    assert len(first["results"]) == 10 and len(third["results"]) == 5
    assert not {h["id"] for h in first["results"]} & {h["id"] for h in third["results"]}


@pytest.mark.parametrize(
    "params",
    [
        {"type": "rocket"},
        {"q": "x" * 2000},
        {"q": '"unbalanced'},
        {"q": "title:*"},
        {"q": '{"script": 1}'},
        {"page": "-1"},
        {"page": "abc"},
        {"page_size": "500"},
        {"page": "100000"},
    ],
)
def test_site_search_bad_parameters_answer_400(client, content, params) -> None:
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["fields"]


def test_notices_api_q_goes_through_the_search_service(client, content) -> None:
    # "边境巡逻" is only in the body: the old database match on title/summary missed it.
    body = client.get("/api/v1/notices/", {"q": "边境巡逻"}).json()
    assert body["count"] == 1
    hit = body["results"][0]
    assert hit["id"] == content["notice"].pk and hit["kind"] == "demand"
    assert {"title", "tier", "summary", "industries", "region", "deadline", "url"} <= set(hit)
    assert hit["highlight"]
    facets = client.get("/api/v1/notices/", {"q": "北斗"}).json()["facets"]
    assert facets["kind"] == {"demand": 1, "supply": 1, "transfer": 0, "policy": 0}
    assert facets["status"] == {"open": 1, "closed": 1}
    closed = client.get("/api/v1/notices/", {"q": "北斗", "status": "closed"}).json()
    assert [r["id"] for r in closed["results"]] == [content["closed"].pk]
    client.force_login(content["procurement"])
    assert client.get("/api/v1/notices/", {"q": "北斗"}).json()["count"] == 3


@pytest.mark.parametrize(
    "params",
    [
        {"q": "北斗", "kind": "rocket"},
        {"q": "北斗", "status": "soon"},
        {"q": "x" * 2000},
        {"q": "title:*"},
        {"q": "北斗", "page": "0"},
        {"q": "北斗", "page_size": "101"},
    ],
)
def test_notices_api_q_bad_parameters_answer_400(client, content, params) -> None:
    response = client.get("/api/v1/notices/", params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_site_search_page_tabs_results_and_empty_state(client, content) -> None:
    page = client.get("/search/", {"q": "北斗"})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="result card"') == 4 and "<mark>" in html
    assert 'href="?q=%E5%8C%97%E6%96%97&amp;type=paper"' in html
    typed = client.get("/search/", {"q": "北斗", "type": "notice"}).content.decode()
    assert typed.count('class="result card"') == 2
    empty = client.get("/search/", {"q": "量子计算机"})
    assert empty.status_code == 200 and 'class="empty"' in empty.content.decode()
    paged = client.get("/search/", {"q": "石墨烯"}).content.decode()
    assert 'rel="next"' in paged
    assert client.get("/search/", {"q": "title:*"}).status_code == 400


def test_engine_down_is_a_503_for_api_and_page(client, content) -> None:
    with override_settings(SEARCH_URL="http://127.0.0.1:9"):
        engine.client.cache_clear()
        try:
            api = client.get("/api/v1/search/", {"q": "北斗"})
            notices = client.get("/api/v1/notices/", {"q": "北斗"})
            listing = client.get("/api/v1/notices/")
            page = client.get("/search/", {"q": "北斗"})
        finally:
            engine.client.cache_clear()
    assert api.status_code == 503 and api.json()["error"]["code"] == "search_unavailable"
    assert notices.status_code == 503
    assert notices.json()["error"]["code"] == "search_unavailable"
    assert listing.status_code == 200  # the list without q needs no engine
    assert page.status_code == 503 and "Traceback" not in page.content.decode()


def test_an_index_not_built_yet_is_a_503_not_a_500(client) -> None:
    """A new site before its first ``search_index --rebuild``: no alias exists yet."""
    with override_settings(SEARCH_INDEX_PREFIX="never-built"):
        api = client.get("/api/v1/search/", {"q": "北斗"})
        notices = client.get("/api/v1/notices/", {"q": "北斗"})
        page = client.get("/search/", {"q": "北斗"})
    assert api.status_code == 503 and api.json()["error"]["code"] == "search_unavailable"
    assert notices.status_code == 503
    assert notices.json()["error"]["code"] == "search_unavailable"
    assert page.status_code == 503 and "Traceback" not in page.content.decode()
