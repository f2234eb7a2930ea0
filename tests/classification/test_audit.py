"""The access log: callers' entries with request details, and grant changes logged by us."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from classification import audit, changes
from classification.models import AccessLog
from classification.tiers import Tier
from portal.accounts import roles

from .conftest import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def test_record_stores_who_what_and_where() -> None:
    item = make_enterprise("认证企业", tier=Tier.VETTED)
    user = make_user("proc", roles.PROCUREMENT)
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="pytest-agent")
    entry = audit.record(user, item, "classification.enterprise.viewed", request)
    entry.refresh_from_db()
    assert (entry.user, entry.object_id, entry.object_repr) == (user, item.pk, "认证企业")
    assert (entry.ip, entry.user_agent) == ("10.1.2.3", "pytest-agent")
    assert entry.content_type.model == "enterprise"
    anonymous = audit.record(AnonymousUser(), None, "classification.document.downloaded")
    assert anonymous.user is None and anonymous.object_id is None


def test_record_view_only_for_vetted_and_targeted_items() -> None:
    user = make_user("proc", roles.PROCUREMENT)
    assert audit.record_view(user, make_enterprise("公开")) is None
    entry = audit.record_view(user, make_enterprise("认证", tier=Tier.VETTED))
    assert entry is not None and entry.action == "classification.enterprise.viewed"
    assert AccessLog.objects.count() == 1


def test_every_grant_change_is_logged() -> None:
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    item = make_enterprise("定向", tier=Tier.TARGETED)
    user = make_user("u")
    row = changes.grant(officer, item, user)
    changes.grant(officer, item, user)  # again: an update, also logged
    changes.revoke_grant(officer, row)
    actions = list(AccessLog.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "classification.grant.created",
        "classification.grant.updated",
        "classification.grant.revoked",
    ]
    assert all(e.user == officer and e.object_id == item.pk for e in AccessLog.objects.all())
    assert AccessLog.objects.first().detail["principal"] == f"u:{user.pk}"
