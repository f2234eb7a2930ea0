"""Directory and profile page: through the release policy only, redacted per reader."""

from __future__ import annotations

import pytest
from django.urls import get_script_prefix, reverse, set_script_prefix

from classification.models import AccessLog
from portal.enterprises import workflow
from portal.enterprises.models import Enterprise
from portal.enterprises.search_indexes import profile_url
from tests.factories import release

from .view_helpers import (
    ENTERPRISE,
    REVIEWER,
    approved_enterprise,
    credit_code,
    full_snapshot,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(django_user_model):
    return make_user(django_user_model, "owner", role=ENTERPRISE)


@pytest.fixture
def reviewer(django_user_model):
    return make_user(django_user_model, "reviewer", role=REVIEWER)


@pytest.fixture
def approved(owner, reviewer) -> Enterprise:
    return approved_enterprise(owner, reviewer)


def _draft(owner, n: int):
    data = full_snapshot(n)
    enterprise = workflow.create_enterprise(
        owner, uscc=data["uscc"], name=data["name"], region=data["region"]
    )
    workflow.save_draft(owner, enterprise, data)
    return enterprise


def test_directory_lists_approved_profiles_only(client, owner, approved) -> None:
    draft = _draft(owner, 2)
    response = client.get(reverse("enterprises:directory"))
    listed = list(response.context["page"].object_list)
    assert listed == [approved]
    body = response.content.decode()
    assert reverse("enterprises:profile", args=[approved.pk]) in body
    assert reverse("enterprises:profile", args=[draft.pk]) not in body


def test_non_approved_profile_is_404_to_anonymous_and_others(
    client, owner, django_user_model
) -> None:
    draft = _draft(owner, 2)
    url = reverse("enterprises:profile", args=[draft.pk])
    assert client.get(url).status_code == 404
    client.force_login(make_user(django_user_model, "stranger"))
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200
    assert client.get(reverse("enterprises:profile", args=[999999])).status_code == 404


def test_revoked_profile_leaves_the_directory(client, approved, reviewer) -> None:
    workflow.revoke(reviewer, approved, "资质造假")
    assert list(client.get(reverse("enterprises:directory")).context["page"].object_list) == []
    assert client.get(reverse("enterprises:profile", args=[approved.pk])).status_code == 404


def test_anonymous_profile_hides_contacts_and_documents_with_a_note(client, approved) -> None:
    response = client.get(reverse("enterprises:profile", args=[approved.pk]))
    profile = response.context["profile"]
    assert {"contacts", "qualification_documents", "legal_representative"} <= set(
        profile["redacted"]
    )
    assert "contacts" not in profile and "legal_representative" not in profile
    body = response.content.decode()
    assert "李明" not in body and "0771-5551234" not in body and "韦建国" not in body
    assert "redacted-note" in body
    # Public fields are there: products, technologies, defence patent badge, cases, region.
    for text in (
        "北斗定位终端",
        "RTK定位",
        "一种天线",
        "badge--defence",
        "某部通信保障",
        "南宁市 青秀区",
    ):
        assert text in body


def test_vetted_reader_sees_contacts(client, approved, django_user_model) -> None:
    buyer = make_user(django_user_model, "buyer", role="procurement")
    client.force_login(buyer)
    response = client.get(reverse("enterprises:profile", args=[approved.pk]))
    assert response.context["profile"]["redacted"] == []
    body = response.content.decode()
    assert "李明" in body and "0771-5551234" in body and "韦建国" in body


def test_registered_reader_sees_the_legal_representative_only(
    client, approved, django_user_model
) -> None:
    client.force_login(make_user(django_user_model, "registered"))
    profile = client.get(reverse("enterprises:profile", args=[approved.pk])).context["profile"]
    assert profile["legal_representative"] == "韦建国"
    assert set(profile["redacted"]) == {"contacts", "qualification_documents"}


def test_expired_qualification_is_shown_as_expired(client, approved) -> None:
    response = client.get(reverse("enterprises:profile", args=[approved.pk]))
    states = {q["number"]: q["state"] for q in response.context["profile"]["qualifications"]}
    assert states == {"桂BM1": "expired", "ISO-1": "valid"}
    assert 'class="is-expired"' in response.content.decode()


def test_markup_in_a_profile_is_escaped(client, owner, reviewer) -> None:
    enterprise = approved_enterprise(
        owner, reviewer, n=3, description="<img src=x onerror=alert(1)>"
    )
    body = client.get(reverse("enterprises:profile", args=[enterprise.pk])).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


def test_vetted_view_is_audited(client, approved, django_user_model) -> None:
    release(approved, "vetted")
    buyer = make_user(django_user_model, "buyer", role="procurement")
    client.force_login(buyer)
    assert client.get(reverse("enterprises:profile", args=[approved.pk])).status_code == 200
    assert AccessLog.objects.filter(user=buyer, object_id=approved.pk).exists()
    client.logout()
    assert client.get(reverse("enterprises:profile", args=[approved.pk])).status_code == 404


def test_filters_by_city_county_and_industry(client, owner, reviewer) -> None:
    nanning = approved_enterprise(owner, reviewer, n=11, region="450103", industries=["D0101"])
    liuzhou = approved_enterprise(
        owner,
        reviewer,
        n=12,
        uscc=credit_code(12, "450202"),
        region="450202",
        industries=["D0201"],
    )

    def listed(**params):
        response = client.get(reverse("enterprises:directory"), params)
        return set(response.context["page"].object_list)

    assert listed(region="450100") == {nanning}
    assert listed(region="450202") == {liuzhou}
    assert listed(region="450200") == {liuzhou}
    assert listed(industry="D01") == {nanning}  # a direction includes its sub-directions
    assert listed(industry="D0201") == {liuzhou}
    assert listed(region="450100", industry="D02") == set()
    assert listed(region="999999") == set()
    body = client.get(reverse("enterprises:directory"), {"region": "450300"}).content.decode()
    assert "empty-state" in body


def test_pagination_twenty_per_page(client, owner, reviewer) -> None:
    for n in range(21):
        approved_enterprise(owner, reviewer, n=100 + n)
    first = client.get(reverse("enterprises:directory"))
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"].paginator.count == 21
    second = client.get(reverse("enterprises:directory"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize("prefix", ["/", "/portal/"])
def test_a_hits_profile_address_is_the_routes(prefix) -> None:
    before = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for pk in (1, 42, 987654321, 10**12):
            assert profile_url(pk) == reverse("enterprises:profile", args=[pk])
        assert profile_url(7).startswith(prefix)
    finally:
        set_script_prefix(before)
