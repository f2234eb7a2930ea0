"""``/api/v1/shortlists/``: the same rules as the pages, in the API's shapes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from classification import changes as release
from classification import sharing
from classification.tiers import Tier
from portal.accounts import roles
from portal.shortlists import changes
from tests.factories import EnterpriseFactory, UserFactory

from .conftest import Cast

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(type(user).objects.get(pk=user.pk))
    return client


def test_list_and_detail_for_the_owner(cast: Cast) -> None:
    body = _api(cast.officer).get("/api/v1/shortlists/").json()
    assert body["count"] == 1
    assert body["results"][0]["name"] == "北斗终端候选"
    assert body["results"][0]["access"] == {"edit": True, "manage": True}
    detail = _api(cast.officer).get(f"/api/v1/shortlists/{cast.shortlist.pk}/").json()
    assert detail["omitted"] == 0 and detail["count"] == 2
    first = detail["suppliers"][0]
    assert first["enterprise"]["name"] == "南宁北斗导航科技有限公司"
    assert first["enterprise"]["uscc"] == cast.first.uscc
    assert first["enterprise"]["qualifications"][0]["level"] == "二级"
    assert first["note"] == "报价合理，交付快"
    assert first["enterprise"]["redacted"] == []


def test_outsiders_get_404_and_anonymous_401(cast: Cast) -> None:
    response = _api(cast.outsider).get(f"/api/v1/shortlists/{cast.shortlist.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert _api(cast.outsider).get("/api/v1/shortlists/").json()["count"] == 0
    assert _api(None).get("/api/v1/shortlists/").status_code in (401, 403)


def test_shared_reader_sees_redacted_suppliers_and_counts_the_hidden(cast: Cast) -> None:
    reader = UserFactory(username="api-reader")  # registered clearance
    reader.groups.add(cast.team)
    changes.share(cast.shortlist, cast.team, sharing.VIEW)
    officer = UserFactory(roles=[roles.CLASSIFICATION_OFFICER])
    release.set_tier(officer, cast.second, Tier.VETTED)
    detail = _api(reader).get(f"/api/v1/shortlists/{cast.shortlist.pk}/").json()
    assert detail["access"] == {"edit": False, "manage": False}
    assert detail["omitted"] == 1
    assert [s["enterprise"]["name"] for s in detail["suppliers"]] == ["南宁北斗导航科技有限公司"]
    enterprise = detail["suppliers"][0]["enterprise"]
    assert "contacts" not in enterprise and enterprise["redacted"] == ["contacts"]
    response = _api(reader).post(
        f"/api/v1/shortlists/{cast.shortlist.pk}/entries/", {"enterprise": cast.second.pk}
    )
    assert response.status_code == 403


def test_adding_through_the_api(cast: Cast) -> None:
    third = EnterpriseFactory(name="防城港海洋装备有限公司")
    url = f"/api/v1/shortlists/{cast.shortlist.pk}/entries/"
    client = _api(cast.officer)
    created = client.post(url, {"enterprise": third.pk, "note": "海洋装备"}, format="json")
    assert created.status_code == 201
    assert cast.shortlist.entries.filter(enterprise=third, note="海洋装备").exists()
    again = client.post(url, {"enterprise": third.pk}, format="json")
    assert again.status_code == 400
    assert "enterprise" in again.json()["error"]["fields"]
    bad = client.post(url, {"enterprise": "x"}, format="json")
    assert bad.status_code == 400 and "enterprise" in bad.json()["error"]["fields"]
    hidden = EnterpriseFactory(tier=Tier.TARGETED)
    assert client.post(url, {"enterprise": hidden.pk}, format="json").status_code == 404
