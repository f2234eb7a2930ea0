"""/api/v1/enterprises/: list and detail through the release policy, owners' PATCH."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from classification.tiers import Tier
from portal.accounts import roles
from portal.enterprises import workflow
from portal.enterprises.models import Region, Status, VersionState
from tests.factories import EnterpriseFactory, UserFactory, submitted_enterprise, uscc_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


def detail(enterprise) -> str:
    return f"/api/v1/enterprises/{enterprise.pk}/"


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def owner():
    return UserFactory(username="owner", roles=[roles.ENTERPRISE])


def as_user(api: APIClient, user) -> APIClient:
    api.force_authenticate(user)
    return api


def test_list_shows_only_released_profiles_with_the_page_shape(api, owner) -> None:
    live = EnterpriseFactory(name="南宁卫星导航有限公司", legal_representative="王强")
    EnterpriseFactory(name="撤销企业", status=Status.REVOKED)
    EnterpriseFactory(name="草稿企业", status=Status.DRAFT)
    EnterpriseFactory(name="定向企业", tier=Tier.TARGETED)
    submitted_enterprise(owner, 950)
    response = api.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    (item,) = body["results"]
    assert item["id"] == live.pk and item["name"] == live.name and item["uscc"] == live.uscc
    assert item["region"] == "南宁市 青秀区" and item["region_code"] == "450103"
    assert item["industries"][0]["name"] == "北斗导航"
    assert item["url"] == detail(live)


def test_anonymous_sees_public_fields_vetted_sees_contacts(api) -> None:
    enterprise = EnterpriseFactory(legal_representative="王强")
    anonymous = api.get(detail(enterprise)).json()
    assert "contacts" not in anonymous and "legal_representative" not in anonymous
    assert {"contacts", "legal_representative"} <= set(anonymous["redacted"])
    assert anonymous["name"] == enterprise.name

    registered = UserFactory(username="registered")
    seen = as_user(api, registered).get(detail(enterprise)).json()
    assert seen["legal_representative"] == "王强"
    assert "contacts" not in seen and "contacts" in seen["redacted"]

    officer = UserFactory(username="caigou", roles=[roles.PROCUREMENT])
    vetted = as_user(api, officer).get(detail(enterprise)).json()
    assert vetted["contacts"][0]["phone"] == "0771-5551234"
    assert "contacts" not in vetted["redacted"]

    listed = api.get(LIST).json()["results"][0]
    assert listed["contacts"][0]["name"] == "李明"


def test_hidden_profiles_are_404_with_the_error_shape(api, owner) -> None:
    draft = submitted_enterprise(owner, 951)
    targeted = EnterpriseFactory(tier=Tier.TARGETED)
    vetted_only = EnterpriseFactory(tier=Tier.VETTED)
    for enterprise in (draft, targeted, vetted_only):
        assert_error(api.get(detail(enterprise)), 404, "not_found")
    assert_error(api.get("/api/v1/enterprises/99999999/"), 404, "not_found")
    as_user(api, UserFactory(username="stranger"))
    assert_error(api.get(detail(draft)), 404, "not_found")
    # Owners see their own profile under review; reviewers see it too.
    assert as_user(api, owner).get(detail(draft)).json()["status"] == Status.SUBMITTED
    reviewer = UserFactory(username="shenhe", roles=[roles.REVIEWER])
    assert as_user(api, reviewer).get(detail(draft)).status_code == 200


def test_filters_uscc_region_and_status(api) -> None:
    nanning = EnterpriseFactory(uscc=uscc_for(1, "450103"), region=Region.objects.get(pk="450103"))
    city = EnterpriseFactory(uscc=uscc_for(2, "450100"), region=Region.objects.get(pk="450100"))
    liuzhou = EnterpriseFactory(uscc=uscc_for(3, "450203"), region=Region.objects.get(pk="450203"))
    revoked = EnterpriseFactory(uscc=uscc_for(4, "450103"), status=Status.REVOKED)

    def ids(**params) -> set[int]:
        return {item["id"] for item in api.get(LIST, params).json()["results"]}

    assert ids(region="450100") == {nanning.pk, city.pk}
    assert ids(region="450103") == {nanning.pk}
    assert ids(region="450000") == {nanning.pk, city.pk, liuzhou.pk}
    assert ids(uscc=liuzhou.uscc.lower()) == {liuzhou.pk}
    # Status filters what the reader may see: for the public only approved profiles exist.
    assert ids(status="revoked") == set()
    reviewer = UserFactory(username="shenhe", roles=[roles.REVIEWER])
    as_user(api, reviewer)
    assert ids(status="revoked") == set()  # nothing of it waits for their review
    officer = UserFactory(username="dingmi", roles=[roles.CLASSIFICATION_OFFICER])
    as_user(api, officer)
    assert ids(status="revoked") == {revoked.pk}
    assert ids(status="approved", region="450100") == {nanning.pk, city.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "x"}, "page"),
        ({"region": "110000"}, "region"),
        ({"status": "vetted"}, "status"),
        ({"uscc": "91450103MA00000X"}, "uscc"),
    ],
)
def test_bad_parameters_are_400_with_the_error_shape(api, params, field) -> None:
    error = assert_error(api.get(LIST, params), 400, "invalid")
    assert field in error["fields"]


def test_pagination_links(api) -> None:
    for n in range(5):
        EnterpriseFactory(uscc=uscc_for(100 + n), name=f"企业{n}")
    first = api.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["previous"] is None and "page=2" in first["next"]
    last = api.get(LIST, {"page_size": 2, "page": 3}).json()
    assert last["next"] is None and [item["name"] for item in last["results"]] == ["企业4"]
    assert_error(api.get(LIST, {"page_size": 2, "page": 4}), 404, "not_found")


def test_owner_patches_the_working_copy_not_the_live_profile(api, owner) -> None:
    enterprise = EnterpriseFactory(owners=[owner], description="原简介")
    response = as_user(api, owner).patch(
        detail(enterprise),
        {
            "description": "新增军品配套能力。",
            "industries": ["D0101", "D0201"],
            "qualifications": [
                {"type": "secrecy", "level": "二级", "number": "桂BM1", "valid_until": "2030-01-01"}
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == VersionState.DRAFT
    assert body["profile"]["description"] == "新增军品配套能力。"
    enterprise.refresh_from_db()
    assert enterprise.description == "原简介" and enterprise.status == Status.APPROVED
    version = workflow.open_version(enterprise)
    assert version.data["industries"] == ["D0101", "D0201"]
    assert version.data["qualifications"][0]["valid_until"] == "2030-01-01"
    assert api.get(detail(enterprise)).json()["description"] == "原简介"


def test_patch_validation_errors_name_the_fields_and_save_nothing(api, owner) -> None:
    enterprise = EnterpriseFactory(owners=[owner])
    as_user(api, owner)
    response = api.patch(
        detail(enterprise),
        {
            "region": "999999",
            "website": "not a url",
            "staff_size": "huge",
            "uscc": "91450103MA00000000",
            "qualifications": [
                {
                    "type": "secrecy",
                    "level": "五级",
                    "valid_from": "2025-01-01",
                    "valid_until": "2024-01-01",
                }
            ],
            "contacts": [{"name": ""}],
        },
        format="json",
    )
    error = assert_error(response, 400, "invalid")
    assert {"uscc"} <= set(error["fields"])
    response = api.patch(
        detail(enterprise),
        {
            "region": "999999",
            "website": "not a url",
            "staff_size": "huge",
            "qualifications": [
                {
                    "type": "secrecy",
                    "level": "五级",
                    "valid_from": "2025-01-01",
                    "valid_until": "2024-01-01",
                }
            ],
            "contacts": [{"name": ""}],
        },
        format="json",
    )
    fields = assert_error(response, 400, "invalid")["fields"]
    assert {"region", "website", "staff_size", "qualifications", "contacts"} <= set(fields)
    assert workflow.open_version(enterprise) is None
    dates = api.patch(
        detail(enterprise),
        {
            "qualifications": [
                {"type": "secrecy", "valid_from": "2025-01-01", "valid_until": "2024-01-01"}
            ]
        },
        format="json",
    )
    fields = assert_error(dates, 400, "invalid")["fields"]
    assert fields == {"qualifications": {"0": {"valid_until": ["有效期截止日期早于起始日期。"]}}}


def test_patch_by_others(api, owner) -> None:
    enterprise = EnterpriseFactory(owners=[owner])
    draft = submitted_enterprise(owner, 952)
    assert_error(
        api.patch(detail(enterprise), {"name": "x"}, format="json"), 401, "not_authenticated"
    )
    as_user(api, UserFactory(username="other", roles=[roles.ENTERPRISE]))
    assert_error(
        api.patch(detail(enterprise), {"name": "x"}, format="json"), 403, "permission_denied"
    )
    assert_error(api.patch(detail(draft), {"name": "x"}, format="json"), 404, "not_found")
    as_user(api, UserFactory(username="shenhe", roles=[roles.REVIEWER]))
    assert_error(api.patch(detail(draft), {"name": "x"}, format="json"), 403, "permission_denied")
    # The owner cannot edit while the version is under review.
    as_user(api, owner)
    assert_error(api.patch(detail(draft), {"name": "x"}, format="json"), 409, "under_review")


def test_schema_documents_the_endpoints(api) -> None:
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"get"} <= set(paths["/api/v1/enterprises/"])
    assert {"get", "patch"} <= set(paths["/api/v1/enterprises/{id}/"])
    parameters = {p["name"] for p in paths["/api/v1/enterprises/"]["get"]["parameters"]}
    assert {"uscc", "region", "status", "page", "page_size"} <= parameters
