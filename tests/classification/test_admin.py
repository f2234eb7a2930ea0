"""The officers' admin pages: tier and grants per item, the request queue, the log and CSV."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from classification import changes, requests
from classification.models import AccessLog, AccessRequest, RequestStatus
from classification.tiers import Tier
from portal.accounts import roles
from tests.factories import login_verified

from .conftest import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def _item_url(item) -> str:
    return reverse("classification_item", args=["enterprises", "enterprise", item.pk])


@pytest.fixture
def officer(client):
    user = make_user("co", roles.CLASSIFICATION_OFFICER)
    login_verified(client, user)
    return user


def test_only_officers_reach_the_pages(client) -> None:
    item = make_enterprise("某企业")
    urls = [
        reverse("classification_index"),
        _item_url(item),
        reverse("classification_requests"),
        reverse("classification_log"),
    ]
    for url in urls:  # no admin access at all: Wagtail sends to login
        assert client.get(url).status_code == 302
    enterprise_user = make_user("ent", roles.ENTERPRISE)
    make_enterprise("自己", owners=(enterprise_user,))
    client.force_login(enterprise_user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    # Admin access but not an officer: Wagtail's convention for PermissionDenied in the admin
    # is a redirect to the dashboard with a "permission denied" message.
    login_verified(client, make_user("rev", roles.REVIEWER))
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert "classification_log" not in client.get(reverse("wagtailadmin_home")).content.decode()
    login_verified(client, make_user("co", roles.CLASSIFICATION_OFFICER))
    for url in urls:
        assert client.get(url).status_code == 200
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("classification_log") in menu


def test_officer_sets_tier_and_field_tiers(client, officer) -> None:
    item = make_enterprise("某企业", tier=Tier.PUBLIC)
    page = client.get(_item_url(item))
    assert "某企业" in page.content.decode()
    response = client.post(
        _item_url(item), {"action": "tier", "tier": "vetted", "field__contacts": "targeted"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.tier == "vetted" and item.field_tiers == {"contacts": "targeted"}
    bad = client.post(_item_url(item), {"action": "tier", "tier": "secret"})
    assert bad.status_code == 400
    item.refresh_from_db()
    assert item.tier == "vetted"
    assert AccessLog.objects.filter(action="classification.tier.changed").count() == 1


def test_officer_grants_and_revokes_users_groups_enterprises(client, officer) -> None:

    item = make_enterprise("定向企业", tier=Tier.TARGETED)
    user = make_user("grantee")
    Group.objects.create(name="专项组")
    company = make_enterprise("合作企业")
    until = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    for kind, who in (
        ("user", "grantee@example.com"),
        ("group", "专项组"),
        ("enterprise", company.uscc),
    ):
        response = client.post(
            _item_url(item), {"action": "grant", "kind": kind, "who": who, "valid_until": until}
        )
        assert response.status_code == 302, response.content.decode()[:500]
    rows = changes.grants_of(item)
    assert len(rows) == 3
    company.refresh_from_db()
    assert {changes.principal_label(row) for row in rows} == {
        f"u:{user.pk}",
        f"g:{Group.objects.get(name='专项组').pk}",
        f"g:{company.group_id}",  # an enterprise is granted through its owners' group
    }
    missing = client.post(_item_url(item), {"action": "grant", "kind": "user", "who": "nobody"})
    assert missing.status_code == 400 and "nobody" in missing.content.decode()
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    expired = client.post(
        _item_url(item), {"action": "grant", "kind": "user", "who": "grantee", "valid_until": past}
    )
    assert expired.status_code == 400
    assert client.post(_item_url(item), {"action": "revoke", "grant": "u:x"}).status_code == 404
    revoke = {"action": "revoke", "grant": f"u:{user.pk}"}
    assert client.post(_item_url(item), revoke).status_code == 302
    assert f"u:{user.pk}" not in {changes.principal_label(row) for row in changes.grants_of(item)}
    actions = set(AccessLog.objects.values_list("action", flat=True))
    assert actions == {"classification.grant.created", "classification.grant.revoked"}


def test_queue_approve_and_deny(client, officer, django_capture_on_commit_callbacks) -> None:
    item = make_enterprise("公开企业")
    first = requests.submit(make_user("a"), item, "理由一")
    second = requests.submit(make_user("b"), item, "理由二")
    queue = client.get(reverse("classification_requests")).content.decode()
    assert "理由一" in queue and "理由二" in queue
    decide = reverse("classification_decide", args=[first.pk])
    missing = client.post(decide, {f"r{first.pk}-decision": "approve"})
    assert missing.status_code == 400
    until = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            decide, {f"r{first.pk}-decision": "approve", f"r{first.pk}-valid_until": until}
        )
        assert ok.status_code == 302
        client.post(
            reverse("classification_decide", args=[second.pk]),
            {f"r{second.pk}-decision": "deny", f"r{second.pk}-reason": "不予批准"},
        )
    statuses = dict(AccessRequest.objects.values_list("pk", "status"))
    assert statuses == {first.pk: RequestStatus.APPROVED, second.pk: RequestStatus.DENIED}
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    after = client.get(reverse("classification_requests")).content.decode()
    assert "理由一" not in after and "理由二" not in after


def test_log_filters_and_csv(client, officer) -> None:
    from classification import audit

    item = make_enterprise("认证企业", tier=Tier.VETTED)
    other = make_enterprise("另一企业", tier=Tier.VETTED)
    viewer = make_user("viewer", roles.PROCUREMENT)
    audit.record(viewer, item, "classification.enterprise.viewed")
    audit.record(viewer, other, "classification.enterprise.viewed")
    audit.record(officer, item, "classification.tier.changed")
    log = reverse("classification_log")
    by_user = client.get(log, {"user": "viewer"}).content.decode()
    assert by_user.count("classification.enterprise.viewed") == 2
    assert "classification.tier.changed" not in by_user
    by_item = client.get(log, {"item": f"enterprises.enterprise:{item.pk}"}).content.decode()
    assert "另一企业" not in by_item and "认证企业" in by_item
    by_action = client.get(log, {"action": "classification.tier"}).content.decode()
    assert "classification.enterprise.viewed" not in by_action
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "认证企业" not in client.get(log, {"date_from": tomorrow}).content.decode()
    bad = client.get(log, {"item": "garbage"})
    assert bad.status_code == 200 and "app.model:id" in bad.content.decode()
    csv_response = client.get(log, {"user": "viewer", "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = b"".join(csv_response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("time,user,action")
    assert len(lines) == 3 and all(
        ",viewer,classification.enterprise.viewed," in x for x in lines[1:]
    )
