"""``/api/v1/saved-searches/``: the caller's own saved searches, validated like the search."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from portal.alerts.models import SavedSearch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/saved-searches/"


@pytest.fixture
def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_gets_401():
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_create_list_patch_delete(api, user, saved_search):
    other = saved_search(owner=UserFactory(username="bob"), name="别人的")
    response = api.post(
        URL,
        {"kind": "supplier", "name": "北斗", "q": "北斗", "filters": {"industry": ["D01"]}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["filters"], body["frequency"], body["active"]) == (
        {"industry": ["D01"]},
        "daily",
        True,
    )
    listing = api.get(URL).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == body["id"]
    item = f"{URL}{body['id']}/"
    changed = api.patch(item, {"frequency": "weekly", "active": False}, format="json")
    assert changed.status_code == 200
    saved = SavedSearch.objects.get(pk=body["id"])
    assert (saved.frequency, saved.active, saved.user) == ("weekly", False, user)
    assert api.get(f"{URL}{other.pk}/").status_code == 404
    assert api.delete(f"{URL}{other.pk}/").status_code == 404
    assert api.delete(item).status_code == 204
    assert list(SavedSearch.objects.all()) == [other]


def test_refusals_use_the_error_shape(api):
    response = api.post(
        URL,
        {"kind": "notice", "name": " ", "q": "x", "filters": {"kind": "wish", "x": "1"}},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"name"}  # field errors first, then the search's own
    response = api.post(
        URL, {"kind": "notice", "name": "n", "filters": {"kind": "wish", "x": "1"}}, format="json"
    )
    assert set(response.json()["error"]["fields"]) == {"kind", "x"}
    response = api.post(URL, {"kind": "papers", "name": "n"}, format="json")
    assert set(response.json()["error"]["fields"]) == {"kind"}
    assert not SavedSearch.objects.exists()
