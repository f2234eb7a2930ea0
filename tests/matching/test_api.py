"""The matching API: shapes, who may list what (404 otherwise), 400 for bad paging, 503 when
the engine is down."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from search import engine
from tests.factories import UserFactory

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def scene(search_index, make_enterprise, make_notice, procurer):
    owner = UserFactory(username="owner9", roles=["enterprise"])
    supplier = make_enterprise(
        "南宁星图导航科技有限公司",
        industries=["D0101"],
        products=[{"name": "北斗定位终端", "description": "RTK"}],
    )
    supplier.add_owners(owner)
    public = make_notice("北斗定位终端采购", "北斗定位终端", industries=("D0101",))
    vetted = make_notice("北斗终端认证需求", "北斗定位终端", tier="vetted")
    supply = make_notice("北斗终端供给", "北斗定位终端", kind="supply")
    search_index()
    return {
        "owner": owner,
        "supplier": supplier,
        "public": public,
        "vetted": vetted,
        "supply": supply,
    }


def test_notice_matches_shape(scene, procurer):
    response = _client(procurer).get(f"/api/v1/notices/{scene['public'].pk}/matches/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["enterprise"]["id"] == scene["supplier"].pk
    assert {"id", "name", "uscc", "region", "url", "redacted"} <= set(row["enterprise"])
    assert row["score"] > 0
    assert "北斗" in row["explanation"]["terms"]
    assert row["explanation"]["qualifications"] == []


def test_notice_matches_404s(scene, procurer):
    notice = scene["public"]
    # a supplier may see the notice but not the list of its competitors
    assert _client(scene["owner"]).get(f"/api/v1/notices/{notice.pk}/matches/").status_code == 404
    assert _client().get(f"/api/v1/notices/{notice.pk}/matches/").status_code == 404
    registered = UserFactory(username="reg9")
    vetted = scene["vetted"]
    response = _client(registered).get(f"/api/v1/notices/{vetted.pk}/matches/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    # not a demand notice: nothing to match
    supply = scene["supply"].pk
    assert _client(procurer).get(f"/api/v1/notices/{supply}/matches/").status_code == 404
    assert _client(procurer).get("/api/v1/notices/999999/matches/").status_code == 404


def test_notice_matches_bad_page_and_engine_down(scene, procurer):
    url = f"/api/v1/notices/{scene['public'].pk}/matches/"
    response = _client(procurer).get(url, {"page": "abc"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "page" in response.json()["error"]["fields"]
    engine.client.cache_clear()
    try:
        with override_settings(SEARCH_URL="http://127.0.0.1:9", SEARCH_TIMEOUT_SECONDS=1):
            response = _client(procurer).get(url)
    finally:
        engine.client.cache_clear()
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "search_unavailable"


def test_enterprise_matches(scene, procurer):
    supplier = scene["supplier"]
    response = _client(scene["owner"]).get(f"/api/v1/enterprises/{supplier.pk}/matches/")
    assert response.status_code == 200
    body = response.json()
    # the owner is vetted (an approved enterprise): both demand notices, not the supply one
    assert {row["notice"]["id"] for row in body["results"]} == {
        scene["public"].pk,
        scene["vetted"].pk,
    }
    assert body["count"] == 2
    assert "北斗" in body["results"][0]["explanation"]["terms"]
    assert _client(procurer).get(f"/api/v1/enterprises/{supplier.pk}/matches/").status_code == 404
    assert _client().get(f"/api/v1/enterprises/{supplier.pk}/matches/").status_code == 404
    bad = _client(scene["owner"]).get(
        f"/api/v1/enterprises/{supplier.pk}/matches/", {"page_size": "0"}
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["page_size"]
