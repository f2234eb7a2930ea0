"""Search API and pages: the response shape, bad parameters as 400 in the error shape, and the
engine down as 503 ``search_unavailable`` (pages: 503 with an explanation) with no stack trace."""

from __future__ import annotations

import pytest
from django.test import override_settings

from search import engine

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


@pytest.fixture
def two_suppliers(search_index, make_enterprise):
    make_enterprise(
        "柳州智能装备制造有限公司",
        region="450202",
        industries=["D0201"],
        description="工业机器人与智能焊接生产线。",
        products=[{"name": "焊接机器人", "description": ""}],
        ownership="state",
    )
    make_enterprise(
        "南宁北斗导航科技有限公司",
        region="450103",
        industries=["D0101"],
        description="北斗导航终端。",
        products=[{"name": "北斗导航终端", "description": ""}],
    )
    search_index()


def test_supplier_api_shape_with_facets_and_highlight(client, two_suppliers) -> None:
    response = client.get("/api/v1/suppliers/", {"q": "机器人", "region": "450200"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    hit = body["results"][0]
    assert hit["name"] == "柳州智能装备制造有限公司"
    assert hit["region"] == {"code": "450202", "name": "城中区"}
    assert any("<mark>" in fragment for values in hit["highlight"].values() for fragment in values)
    assert hit["url"] == f"/enterprises/{hit['id']}/"
    assert {"industry", "region", "qualification", "size", "ownership"} <= set(body["facets"])
    regions = {v["key"]: v["count"] for v in body["facets"]["region"]}
    assert regions["450200"] == 1


def test_suggest_api(client, two_suppliers) -> None:
    response = client.get("/api/v1/suggest/", {"q": "hj"})
    assert response.status_code == 200
    assert "焊接机器人" in response.json()["results"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "abc"},
        {"page_size": "500"},
        {"q": "x" * 2000},
        {"q": '"unbalanced'},
        {"q": "name:*"},
        {"region": "not-a-region"},
        {"sort": "cost"},
    ],
)
def test_bad_parameters_answer_400_in_the_error_shape(client, two_suppliers, params) -> None:
    response = client.get("/api/v1/suppliers/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["fields"]


def test_site_search_refuses_unknown_types(client, two_suppliers) -> None:
    assert client.get("/api/v1/search/", {"q": "北斗", "type": "enterprise"}).json()["count"] == 1
    response = client.get("/api/v1/search/", {"q": "北斗", "type": "rocket"})
    assert response.status_code == 400 and response.json()["error"]["fields"]["type"]


def test_engine_down_is_a_clear_503_and_other_pages_work(client, two_suppliers) -> None:
    with override_settings(SEARCH_URL="http://127.0.0.1:9"):
        engine.client.cache_clear()
        api = client.get("/api/v1/suppliers/", {"q": "北斗"})
        page = client.get("/suppliers/", {"q": "北斗"})
        home = client.get("/")
    engine.client.cache_clear()
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "search_unavailable"
    assert page.status_code == 503 and "Traceback" not in page.content.decode()
    assert home.status_code == 200


def test_supplier_page_renders_hits_facets_and_keeps_state_in_the_url(client, two_suppliers):
    response = client.get("/suppliers/", {"q": "北斗"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="result card"') == 1 and "<mark>" in html
    assert "?q=%E5%8C%97%E6%96%97&amp;region=450100" in html
    refused = client.get("/suppliers/", {"q": "name:*"})
    assert refused.status_code == 400
