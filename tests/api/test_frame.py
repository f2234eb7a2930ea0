"""The API frame: token auth, the error shape, throttling, the OpenAPI schema and docs."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from portal.accounts.models import User

PASSWORD = "Qinzhou-Port-2026"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def officer(db):
    return User.objects.create_user("officer", "officer@example.cn", PASSWORD)


def assert_error_shape(body: dict, code: str) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_token_obtain_and_use(api, officer) -> None:
    response = api.post(
        "/api/v1/auth/token/", {"username": "officer", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 64  # knox: 32 random bytes, hex

    anonymous = api.get("/api/v1/me/")
    assert anonymous.status_code == 401
    assert_error_shape(anonymous.json(), "not_authenticated")

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "officer"
    assert me.json()["email_verified"] is False


def test_wrong_credentials_and_missing_fields_use_the_error_shape(api, officer) -> None:
    wrong = api.post("/api/v1/auth/token/", {"username": "officer", "password": "x"}, format="json")
    assert wrong.status_code == 400
    assert_error_shape(wrong.json(), "invalid")

    missing = api.post("/api/v1/auth/token/", {"username": "officer"}, format="json")
    assert missing.status_code == 400
    body = missing.json()
    assert_error_shape(body, "invalid")
    assert "password" in body["error"]["fields"]

    malformed = api.post("/api/v1/auth/token/", "{not json", content_type="application/json")
    assert malformed.status_code == 400
    assert_error_shape(malformed.json(), "parse_error")


def test_token_endpoint_locks_out_after_repeated_failures(api, officer) -> None:
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": "officer", "password": "x"}, format="json")
    response = api.post(
        "/api/v1/auth/token/", {"username": "officer", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert_error_shape(response.json(), "account_locked")


def test_token_endpoint_is_throttled(api, officer, settings) -> None:
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "auth": "3/min"}
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = rates
    cache.clear()
    try:
        codes = [
            api.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"}).status_code
            for _ in range(4)
        ]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
    assert codes[:3] == [400, 400, 400]
    assert codes[3] == 429


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(client) -> None:
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


@pytest.mark.django_db
def test_schema_and_docs_are_served_with_local_assets(client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/auth/token/" in spec["paths"]

    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    assert "/static/drf_spectacular_sidecar/" in html
