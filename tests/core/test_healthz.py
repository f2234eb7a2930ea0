"""/healthz reports database, search engine and broker, and names what is down."""

from __future__ import annotations

import pytest

from search import engine


@pytest.fixture
def fresh_engine_client():
    engine.client.cache_clear()
    yield
    engine.client.cache_clear()


@pytest.mark.django_db
@pytest.mark.engine
def test_all_up_answers_200(client, search_engine) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == []
    assert {name: s["status"] for name, s in body["services"].items()} == {
        "database": "up",
        "search": "up",
        "broker": "up",
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_search_engine_down_answers_503_naming_it(client, settings, fresh_engine_client) -> None:
    settings.SEARCH_URL = "http://127.0.0.1:9"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["search"]
    assert body["services"]["search"]["status"] == "down"
    assert body["services"]["database"]["status"] == "up"
    # The home page does not depend on the engine.
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_broker_down_answers_503_naming_it(client, settings, fresh_engine_client) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "broker" in response.json()["down"]


@pytest.mark.django_db
def test_healthz_refuses_other_methods(client) -> None:
    assert client.post("/healthz").status_code == 405
