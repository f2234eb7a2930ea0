"""The demo notices: every kind and tier, closed and scheduled ones, grants and responses."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from portal.notices.models import Kind, NoticePage, NoticeResponse

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_notices_idempotently(client):
    call_command("seed_demo", "--enterprises", "20", stdout=io.StringIO())
    notices = NoticePage.objects.all()
    assert {n.kind for n in notices} == set(Kind.values)
    assert {n.tier for n in notices} == {"public", "registered", "vetted", "targeted"}
    assert any(not n.is_open for n in notices)
    scheduled = notices.get(slug="policy-secrecy-training")
    assert not scheduled.live and scheduled.go_live_at is not None
    targeted = notices.get(tier="targeted")
    assert targeted.user_grants.exists()
    groups = targeted.group_grants.values_list("group__name", flat=True)
    assert "procurement" in groups  # a role group
    assert any(name.startswith("enterprise:") for name in groups)  # an enterprise's owners
    assert NoticeResponse.objects.exists()
    count = notices.count()
    call_command("seed_demo", "--enterprises", "20", stdout=io.StringIO())
    assert NoticePage.objects.count() == count
    # The demo's public notices render for anonymous visitors, targeted ones do not.
    assert client.get("/notices/").status_code == 200
    assert client.get(targeted.url).status_code == 404
