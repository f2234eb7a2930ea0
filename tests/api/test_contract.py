"""The API keeps its contract under hostile input: ids that cannot exist are 404, JSON bodies are
bounded in size and depth, and every error under /api/ is the JSON error shape — for routes no
view answers, in development too, and for exceptions no view expected."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from portal.accounts.models import User
from portal.urls import urlpatterns as portal_urlpatterns

from .test_frame import assert_error_shape

pytestmark = [pytest.mark.django_db]

BEYOND_64_BITS = "9" * 25


def _raise_unexpected(request):
    raise RuntimeError("a fault no view expected")


#: The portal's routes plus one under /api/ that fails as a bug would.
urlpatterns = [path("api/v1/test-fault/", _raise_unexpected), *portal_urlpatterns]


@pytest.fixture
def member(db) -> User:
    return User.objects.create_user("member", "member@example.cn", "Beihai-Harbour-2026")


@pytest.mark.parametrize(
    "route",
    [
        "notices/{id}/",
        "notices/{id}/responses/",
        "notices/{id}/matches/",
        "papers/{id}/",
        "enterprises/{id}/",
        "enterprises/{id}/matches/",
        "shortlists/{id}/",
        "saved-searches/{id}/",
        "notices/null/",
    ],
)
def test_ids_that_cannot_exist_are_json_404s(client, member, route) -> None:
    client.force_login(member)
    response = client.get("/api/v1/" + route.format(id=BEYOND_64_BITS))
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


@pytest.mark.parametrize(
    "route",
    [
        "/matching/notices/{id}/",
        "/papers/{id}/pdf/",
        "/notices/respond/{id}/",
        "/classification/request/notices/noticepage/{id}/",
        "/enterprises/{id}/",
        "/shortlists/{id}/",
    ],
)
def test_site_pages_for_ids_beyond_64_bits_are_404(client, member, route) -> None:
    client.force_login(member)
    assert client.get(route.format(id=BEYOND_64_BITS)).status_code == 404


@pytest.mark.parametrize("route", ["/api/v1/auth/token/", "/api/v1/saved-searches/"])
def test_json_bodies_are_bounded_in_depth(client, member, route) -> None:
    client.force_login(member)
    for depth in (40, 5_000):  # beyond the API's own limit, and beyond the parser's
        body = "[" * depth + "]" * depth
        response = client.post(route, data=body, content_type="application/json")
        assert response.status_code == 400
        assert_error_shape(response.json(), "parse_error")
        assert "32" in response.json()["error"]["message"]
    broken = client.post(route, data='{"name": ', content_type="application/json")
    assert broken.status_code == 400
    assert_error_shape(broken.json(), "parse_error")


def test_json_bodies_are_bounded_in_size(client, settings) -> None:
    settings.API_MAX_JSON_BYTES = 1000
    body = '{"username": "' + "x" * 1000 + '", "password": "p"}'
    response = client.post("/api/v1/auth/token/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert_error_shape(response.json(), "too_large")
    fits = client.post(
        "/api/v1/auth/token/", data='{"username": "x"}', content_type="application/json"
    )
    assert fits.status_code == 400 and fits.json()["error"]["fields"]["password"]


def test_a_form_body_beyond_the_upload_limit_is_413(client, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post("/api/v1/auth/token/", {"username": "x" * 500, "password": "p"})
    assert response.status_code == 413
    assert_error_shape(response.json(), "too_large")


def test_errors_outside_views_are_json_in_development_too(client, settings) -> None:
    for debug in (False, True):
        settings.DEBUG = debug
        missing = client.get("/api/v1/no-such-resource/")
        assert missing.status_code == 404, debug
        assert_error_shape(missing.json(), "not_found")


def test_method_not_allowed_keeps_allow(client, member) -> None:
    client.force_login(member)
    response = client.put("/api/v1/me/", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert_error_shape(response.json(), "method_not_allowed")
    assert "GET" in response["Allow"]


def test_a_session_write_without_csrf_is_a_json_403(member) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post(
        "/api/v1/saved-searches/", data='{"name": "x"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert_error_shape(response.json(), "permission_denied")
    assert "CSRF" in response.json()["error"]["message"]


def test_throttled_answers_are_json_with_retry_after(monkeypatch) -> None:
    # DRF reads the rates once, into the class: set them there for this test.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    api = APIClient()
    statuses = [api.get("/api/v1/papers/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = api.get("/api/v1/papers/")
    assert_error_shape(response.json(), "throttled")
    assert int(response["Retry-After"]) > 0


@pytest.mark.urls(__name__)
def test_an_unexpected_fault_is_a_logged_json_500(client, settings, caplog) -> None:
    for debug in (False, True):
        settings.DEBUG = debug
        response = client.get("/api/v1/test-fault/")
        assert response.status_code == 500
        assert_error_shape(response.json(), "server_error")
        assert "a fault no view expected" not in response.content.decode()
    assert any(
        "a fault no view expected" in str(r.exc_info[1]) for r in caplog.records if r.exc_info
    )
