"""Stubs of restricted notices: an officer releases the title, kind, region and deadline at the
notice's tier and the body above it; every surface shows the same stub to readers below the
body's tier and the whole notice to readers at it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from classification import changes, policy
from classification.models import AccessLog
from classification.tiers import Tier
from portal.notices.listing import NoticeFilters, visible_notices
from portal.notices.presentation import detail_data, summary_data
from portal.notices.search_indexes import documents
from tests.factories import UserFactory, login_verified

pytestmark = pytest.mark.django_db

TITLE = "某型无人机电池组保障需求"
SECRET = "采购高寒型无人机电池组"
PHONE = "0771-5556666"


@pytest.fixture
def stubbed(make_notice, officer):
    """A notice known to everyone whose body is released to registered users."""
    notice = make_notice(TITLE, tier=Tier.PUBLIC, summary=SECRET, contact_phone=PHONE)
    changes.set_tier(officer, notice, Tier.PUBLIC, {"body": Tier.REGISTERED})
    notice.refresh_from_db()
    return notice


def test_the_body_tier_lifts_every_field_outside_the_stub(stubbed):
    assert policy.field_tier(stubbed, "title") == Tier.PUBLIC
    assert policy.field_tier(stubbed, "deadline") == Tier.PUBLIC
    assert policy.field_tier(stubbed, "summary") == Tier.REGISTERED
    assert policy.field_tier(stubbed, "qualifications") == Tier.REGISTERED
    # A field with a higher tier of its own keeps it.
    assert policy.field_tier(stubbed, "contact") == Tier.VETTED


def test_anonymous_reads_the_stub_alone(stubbed):
    data = detail_data(stubbed, AnonymousUser())
    assert data["stub"] is True
    assert data["title"] == TITLE and data["kind"] == "demand"
    assert data["region"]["code"] == "450100" and data["deadline"]
    for hidden in ("summary", "industries", "qualifications", "requirements", "contact"):
        assert hidden not in data
    assert "body" in data["redacted"]


def test_a_reader_at_the_body_tier_reads_the_body(stubbed, registered):
    data = detail_data(stubbed, registered)
    assert data["stub"] is False
    assert data["summary"] == SECRET
    assert data["industries"]
    assert "contact" not in data  # still vetted


def test_stub_page_for_anonymous_links_to_login_with_next(client, stubbed):
    response = client.get(stubbed.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert TITLE in page
    assert SECRET not in page and PHONE not in page and "面向驻桂部队" not in page
    assert f"/accounts/login/?next={stubbed.url}" in page
    assert "登录后查看" in page


def test_stub_page_for_a_signed_in_reader_offers_vetting_and_access_request(
    client, make_notice, officer, registered
):
    notice = make_notice(TITLE, tier=Tier.REGISTERED, summary=SECRET)
    changes.set_tier(officer, notice, Tier.REGISTERED, {"body": Tier.VETTED})
    client.force_login(registered)
    page = client.get(notice.url).content.decode()
    assert "认证后查看" in page and "申请查看" in page
    assert f"/classification/request/notices/noticepage/{notice.pk}/" in page
    assert SECRET not in page
    # The access request asks for the body.
    form = client.get(f"/classification/request/notices/noticepage/{notice.pk}/")
    assert form.status_code == 200


def test_signed_in_reader_at_the_body_tier_reads_the_page(client, stubbed, registered):
    client.force_login(registered)
    page = client.get(stubbed.url).content.decode()
    assert SECRET in page and "面向驻桂部队" in page
    assert "登录后查看" not in page


def test_without_a_stub_a_restricted_notice_stays_404(client, make_notice):
    notice = make_notice(TITLE, tier=Tier.VETTED)
    assert client.get(notice.url).status_code == 404


def test_body_tier_equal_to_the_tier_is_no_stub_and_lower_is_refused(
    make_notice, officer, registered
):
    notice = make_notice(TITLE, tier=Tier.REGISTERED)
    changes.set_tier(officer, notice, Tier.REGISTERED, {"body": Tier.REGISTERED})
    notice.refresh_from_db()
    assert "body" not in notice.field_tiers
    assert not policy.stub_only(registered, notice)
    with pytest.raises(ValidationError):
        changes.set_tier(officer, notice, Tier.VETTED, {"body": Tier.PUBLIC})


def test_officer_sets_the_body_tier_on_the_release_page(client, make_notice, officer):
    notice = make_notice(TITLE, tier=Tier.PUBLIC)
    login_verified(client, officer)
    url = f"/admin/classification/item/notices/noticepage/{notice.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="field__body"' in page.content.decode()
    response = client.post(url, {"action": "tier", "tier": "public", "field__body": "vetted"})
    assert response.status_code in (200, 302)
    notice.refresh_from_db()
    assert notice.field_tiers == {"body": "vetted"}
    assert AccessLog.objects.filter(action="classification.tier.changed").exists()


def test_list_feed_and_api_show_the_stub(client, stubbed):
    listing = client.get("/notices/").content.decode()
    assert TITLE in listing and SECRET not in listing and "登录后查看" in listing
    feed = client.get("/notices/feed/").content.decode()
    assert TITLE in feed and SECRET not in feed
    api = client.get("/api/v1/notices/").json()
    row = next(r for r in api["results"] if r["id"] == stubbed.pk)
    assert row["stub"] is True and "summary" not in row and "industries" not in row
    detail = client.get(f"/api/v1/notices/{stubbed.pk}/").json()
    assert detail["stub"] is True and "summary" not in detail
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://testserver{stubbed.url}</loc>" in sitemap


def test_list_filters_on_the_body_skip_stubs(stubbed, registered):
    anonymous = AnonymousUser()
    by_industry = NoticeFilters.from_params({"industry": "D01"})
    assert stubbed not in by_industry.apply(visible_notices(anonymous), anonymous)
    assert stubbed in by_industry.apply(visible_notices(registered), registered)
    by_text = NoticeFilters.from_params({"q": "高寒型"})
    assert stubbed not in by_text.apply(visible_notices(anonymous), anonymous)
    assert stubbed in by_text.apply(visible_notices(registered), registered)
    # Filters on the stub still find it.
    by_kind = NoticeFilters.from_params({"kind": "demand"})
    assert stubbed in by_kind.apply(visible_notices(anonymous), anonymous)
    assert summary_data(stubbed, anonymous)["stub"] is True


def test_a_grant_opens_the_body(stubbed, officer, make_notice):
    notice = make_notice("定向正文", tier=Tier.PUBLIC, summary=SECRET)
    changes.set_tier(officer, notice, Tier.PUBLIC, {"body": Tier.TARGETED})
    notice.refresh_from_db()
    reader = UserFactory(username="grantee")
    assert policy.stub_only(reader, notice)
    changes.grant(officer, notice, reader)
    policy.forget(reader)
    assert not policy.stub_only(reader, notice)
    body = policy.body_readable(type(notice), reader)
    assert type(notice).objects.filter(body, pk=notice.pk).exists()


def test_the_search_document_of_a_stub_holds_the_stub_alone(stubbed):
    [(_pk, document)] = list(documents([stubbed.pk]))
    assert document["title"] == TITLE
    assert document["summary"] == "" and document["body"] == "" and document["industry"] == []
    assert document["region_code"] == "450100"


def test_audit_tells_stub_views_from_body_views(client, make_notice, officer, vetted):
    notice = make_notice(TITLE, tier=Tier.VETTED)
    changes.set_tier(officer, notice, Tier.VETTED, {"body": Tier.TARGETED})
    client.force_login(vetted)
    assert client.get(notice.url).status_code == 200
    assert AccessLog.objects.filter(action="classification.notice.stub_viewed").count() == 1
    assert not AccessLog.objects.filter(action="classification.notice.viewed").exists()


@pytest.mark.engine
def test_search_finds_a_stub_by_its_stub_only(search_index, stubbed, registered, officer):
    from portal.notices.notice_search import notice_search

    search_index()
    anonymous = AnonymousUser()
    found = notice_search(anonymous, "无人机电池组保障")
    assert [hit.id for hit in found.hits] == [stubbed.pk]
    assert notice_search(anonymous, "高寒型").total == 0
    assert notice_search(registered, "高寒型").total == 0
    # The industry facet does not count what the stub withholds.
    industries = {v.key: v.count for v in notice_search(anonymous, "").facets.get("industry", [])}
    assert industries.get("D01", 0) == 0
    # Releasing the body to the notice's tier puts it back in the index.
    changes.set_tier(officer, stubbed, Tier.PUBLIC, {})
    search_index()
    assert notice_search(anonymous, "高寒型").total == 1
    industries = {v.key: v.count for v in notice_search(anonymous, "").facets["industry"]}
    assert industries["D01"] == 1


def test_a_stub_takes_no_response_and_no_supplier_match(
    client, make_notice, officer, vetted, author
):
    from portal.accounts import roles
    from portal.matching.notices import candidates
    from portal.matching.suppliers import may_match_suppliers

    notice = make_notice(TITLE, tier=Tier.VETTED)
    changes.set_tier(officer, notice, Tier.VETTED, {"body": Tier.TARGETED})
    notice.refresh_from_db()
    client.force_login(vetted)
    assert client.get(f"/notices/respond/{notice.pk}/").status_code == 404
    page = client.get(notice.url).content.decode()
    assert f"/notices/respond/{notice.pk}/" not in page
    buyer = UserFactory(username="buyer2", roles=[roles.PROCUREMENT])
    assert not may_match_suppliers(buyer, notice)
    assert may_match_suppliers(author, notice)
    # Nor is it offered to suppliers as a matching demand: the match reads the body.
    assert notice not in candidates(vetted)
    changes.grant(officer, notice, vetted)
    policy.forget(vetted)
    assert client.get(f"/notices/respond/{notice.pk}/").status_code == 200
    assert notice in candidates(vetted)


def test_the_release_api_sets_and_refuses_body_tiers(make_notice, officer):
    from rest_framework.test import APIClient

    notice = make_notice(TITLE, tier=Tier.PUBLIC)
    api = APIClient()
    api.force_authenticate(officer)
    url = f"/api/v1/release/notices/noticepage/{notice.pk}/"
    body = api.get(url).json()["field_tiers"]["body"]
    assert body == {"default": Tier.PUBLIC, "own": None, "effective": Tier.PUBLIC}
    answer = api.put(url, {"tier": "public", "field_tiers": {"body": "vetted"}}, format="json")
    assert answer.status_code == 200
    assert answer.json()["field_tiers"]["body"]["effective"] == Tier.VETTED
    assert answer.json()["field_tiers"]["contact"]["effective"] == Tier.VETTED
    refused = api.put(url, {"tier": "vetted", "field_tiers": {"body": "public"}}, format="json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] and error["message"] and "field_tiers" in error["fields"]
    notice.refresh_from_db()
    assert (notice.tier, notice.field_tiers) == (Tier.PUBLIC, {"body": "vetted"})


def test_the_release_page_explains_a_refused_body_tier(client, make_notice, officer):
    notice = make_notice(TITLE, tier=Tier.PUBLIC)
    login_verified(client, officer)
    url = f"/admin/classification/item/notices/noticepage/{notice.pk}/"
    page = client.post(url, {"action": "tier", "tier": "vetted", "field__body": "public"})
    assert "正文的发布范围不能宽于条目本身。" in page.content.decode()
    notice.refresh_from_db()
    assert notice.tier == Tier.PUBLIC
