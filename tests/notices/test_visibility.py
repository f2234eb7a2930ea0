"""List and detail visibility per tier, redaction of sensitive fields, and the audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from classification.models import AccessLog
from classification.tiers import Tier

pytestmark = pytest.mark.django_db


def test_index_lists_only_what_the_visitor_may_see(client, make_notice, vetted):
    make_notice("公开需求：无人机巡检系统", tier=Tier.PUBLIC)
    make_notice("认证需求：稀土永磁电机", tier=Tier.VETTED)
    make_notice("草稿需求", tier=Tier.PUBLIC, publish=False)

    anonymous = client.get("/notices/").content.decode()
    assert "公开需求：无人机巡检系统" in anonymous
    assert "认证需求：稀土永磁电机" not in anonymous
    assert "草稿需求" not in anonymous

    client.force_login(vetted)
    signed_in = client.get("/notices/").content.decode()
    assert "认证需求：稀土永磁电机" in signed_in
    assert "草稿需求" not in signed_in


def test_detail_is_404_for_users_below_the_tier(client, make_notice, registered, vetted):
    notice = make_notice("认证需求：北斗终端", tier=Tier.VETTED)
    assert client.get(notice.url).status_code == 404
    client.force_login(registered)
    assert client.get(notice.url).status_code == 404
    client.force_login(vetted)
    page = client.get(notice.url)
    assert page.status_code == 200
    assert "认证需求：北斗终端" in page.content.decode()
    entry = AccessLog.objects.get(action="classification.notice.viewed")
    assert entry.user == vetted and entry.object_id == notice.pk


def test_targeted_notice_reaches_grantees_only(client, make_notice, vetted, officer, registered):
    from classification.changes import grant

    notice = make_notice("定向需求：某部队保障装备", tier=Tier.TARGETED)
    client.force_login(vetted)
    assert client.get(notice.url).status_code == 404
    grant(officer, notice, registered)
    client.force_login(registered)
    assert client.get(notice.url).status_code == 200
    assert "定向需求" in client.get("/notices/").content.decode()


def test_public_notice_redacts_sensitive_fields(client, make_notice, vetted):
    notice = make_notice("公开需求：稀土永磁电机", tier=Tier.PUBLIC, contact_phone="0771-9998888")
    body = client.get(notice.url).content.decode()
    assert "0771-9998888" not in body
    assert "定位精度优于 2 cm" not in body
    assert "300" not in body.split("<dl")[1].split("</dl>")[0]
    assert "/classification/request/" not in body  # anonymous: log in first, no request link

    client.force_login(vetted)
    body = client.get(notice.url).content.decode()
    assert "0771-9998888" in body
    assert "定位精度优于 2 cm" in body


def test_closed_notice_leaves_open_list_but_stays_readable(client, make_notice):
    closed = make_notice("已截止需求", deadline=timezone.now() - timedelta(days=1))
    make_notice("进行中需求")
    open_list = client.get("/notices/?status=open").content.decode()
    assert "已截止需求" not in open_list and "进行中需求" in open_list
    assert "已截止需求" in client.get("/notices/?status=closed").content.decode()
    assert client.get(closed.url).status_code == 200


def test_filters_and_pagination(client, make_notice):
    for n in range(12):
        make_notice(f"供给信息{n:02d}", kind="supply", region=None)
    make_notice("南宁需求")
    page1 = client.get("/notices/?kind=supply").content.decode()
    assert page1.count('class="notice-item"') == 10
    assert "南宁需求" not in page1
    page2 = client.get("/notices/?kind=supply&page=2").content.decode()
    assert page2.count('class="notice-item"') == 2
    # A county's notices belong to its city; an unknown code is refused with a message.
    assert "南宁需求" in client.get("/notices/?region=450100").content.decode()
    assert "南宁需求" not in client.get("/notices/?region=450200").content.decode()
    refused = client.get("/notices/?kind=bogus").content.decode()
    assert "form-errors" in refused


def test_expired_notice_is_gone(client, make_notice):
    notice = make_notice("已过期公告")
    type(notice).objects.filter(pk=notice.pk).update(expire_at=timezone.now() - timedelta(hours=1))
    assert client.get(notice.url).status_code == 404
    assert "已过期公告" not in client.get("/notices/").content.decode()


def test_preview_of_a_draft_needs_the_admin(client, make_notice, editor):
    notice = make_notice("草稿：不得泄露", publish=False)
    assert client.get(f"/admin/pages/{notice.pk}/view_draft/").status_code in (302, 404)
    assert client.get("/notices/" + notice.slug + "/").status_code == 404


def test_list_and_detail_show_the_deadline_in_the_sites_time_zone(client, make_notice):
    """A deadline late in the evening UTC is the next morning in Guangxi, on the list as on the
    detail page (the list read the UTC date once)."""
    deadline = datetime(2027, 1, 14, 21, 5, tzinfo=UTC)
    notice = make_notice("跨日截止的需求", deadline=deadline)
    listing = client.get("/notices/").content.decode()
    detail = client.get(notice.url).content.decode()
    assert ">2027-01-15<" in listing and "2027-01-14" not in listing
    assert "2027-01-15 05:05" in detail
    api = client.get("/api/v1/notices/").json()["results"][0]
    assert api["deadline"] == "2027-01-15T05:05:00+08:00"
