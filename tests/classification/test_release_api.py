"""The release API: officers read and change an item's release through the one writer; everyone
else finds nothing there; bad input gets the API's error shape and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from classification.models import AccessLog
from classification.tiers import Tier
from portal.accounts import roles

from .conftest import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def _url(item, tail: str = "") -> str:
    return f"/api/v1/release/enterprises/enterprise/{item.pk}/{tail}"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_officers_read_and_change_the_release() -> None:
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    item = make_enterprise("定向企业", tier=Tier.PUBLIC)
    api = _client(officer)
    body = api.get(_url(item)).json()
    assert body["tier"] == Tier.PUBLIC and body["grants"] == []
    assert body["field_tiers"]["contacts"] == {
        "default": Tier.VETTED,
        "own": None,
        "effective": Tier.VETTED,
    }

    changed = api.put(
        _url(item), {"tier": Tier.TARGETED, "field_tiers": {"contacts": ""}}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["tier"] == Tier.TARGETED
    item.refresh_from_db()
    assert item.tier == Tier.TARGETED

    grantee = make_user("grantee")
    group = Group.objects.create(name="专项组")
    company = make_enterprise("合作企业")
    until = (timezone.now() + timedelta(days=7)).isoformat()
    for kind, who in (("user", "grantee"), ("group", "专项组"), ("enterprise", company.uscc)):
        answer = api.post(
            _url(item, "grants/"),
            {"grantee_type": kind, "who": who, "valid_until": until, "reason": "联合攻关"},
            format="json",
        )
        assert answer.status_code == 201, answer.json()
    company.refresh_from_db()
    grants = {g["principal"]: g for g in api.get(_url(item)).json()["grants"]}
    assert set(grants) == {f"u:{grantee.pk}", f"g:{group.pk}", f"g:{company.group_id}"}
    assert grants[f"g:{company.group_id}"]["grantee_type"] == "enterprise"
    assert all(g["in_force"] and g["reason"] == "联合攻关" for g in grants.values())

    assert api.delete(_url(item, f"grants/u:{grantee.pk}/")).status_code == 204
    assert api.delete(_url(item, f"grants/u:{grantee.pk}/")).status_code == 404
    actions = set(AccessLog.objects.filter(object_id=item.pk).values_list("action", flat=True))
    assert {"classification.tier.changed", "classification.grant.revoked"} <= actions


def test_bad_input_is_refused_in_the_error_shape_and_changes_nothing() -> None:
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    item = make_enterprise("公开企业")
    api = _client(officer)
    cases = [
        ("put", _url(item), {"tier": "secret"}, "tier"),
        ("put", _url(item), {"tier": Tier.VETTED, "field_tiers": {"nope": "vetted"}}, None),
        ("post", _url(item, "grants/"), {"grantee_type": "user", "who": "nobody"}, "who"),
        ("post", _url(item, "grants/"), {"grantee_type": "robot", "who": "x"}, "grantee_type"),
    ]
    past = (timezone.now() - timedelta(days=1)).isoformat()
    make_user("late")
    cases.append(
        (
            "post",
            _url(item, "grants/"),
            {"grantee_type": "user", "who": "late", "valid_until": past},
            None,
        )
    )
    for method, url, data, field in cases:
        answer = getattr(api, method)(url, data, format="json")
        assert answer.status_code == 400, (url, data)
        error = answer.json()["error"]
        assert error["code"] == "invalid" and error["message"]
        if field:
            assert field in error["fields"]
    item.refresh_from_db()
    assert item.tier == Tier.PUBLIC and item.field_tiers == {}
    assert not item.user_grants.exists()


def test_everyone_but_officers_gets_404() -> None:
    item = make_enterprise("公开企业")
    for user in (make_user("reg"), make_user("proc", roles.PROCUREMENT), None):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        answer = api.get(_url(item))
        assert answer.status_code in (401, 404) if user is None else answer.status_code == 404
        if user is not None:
            assert answer.json()["error"]["code"] == "not_found"
            put = api.put(_url(item), {"tier": Tier.TARGETED}, format="json")
            assert put.status_code == 404
    officer = _client(make_user("co", roles.CLASSIFICATION_OFFICER))
    assert officer.get("/api/v1/release/enterprises/nothing/1/").status_code == 404
    assert officer.get(f"/api/v1/release/enterprises/enterprise/{2**70}/").status_code == 404
    item.refresh_from_db()
    assert item.tier == Tier.PUBLIC
