"""Agencies' pushes: the import's checks, per-record results, proposals in the review queue."""

from __future__ import annotations

import pytest
from django.test import Client

from classification import policy
from portal.enterprises.models import Enterprise, EnterpriseVersion, Status, VersionState
from portal.sharing.models import Exchange
from tests.factories import EnterpriseFactory, UserFactory, submitted_enterprise, uscc_for

from .conftest import Agency

PUSH = "/api/v1/sharing/enterprises/push/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def pusher() -> Agency:
    made = Agency(Client(), "国防科工办", "vetted", "enterprises:read,enterprises:push")
    made.login()
    return made


def send(agency: Agency, records: list[dict]):
    return agency.http.post(
        PUSH,
        {"records": records},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {agency.token}",
    )


def record(n: int, **cells) -> dict:
    return {
        "统一社会信用代码": uscc_for(n),
        "企业名称": f"柳州推送测试{n}科技有限公司",
        "所在地区": "柳州市城中区",
        "行业": "智能装备",
        "企业简介": "工业机器人系统集成。",
        "联系人": "张工",
        "联系电话": "0772-5551234",
        **cells,
    }


def test_valid_records_wait_for_review_and_bad_ones_come_back_with_row_errors(pusher):
    response = send(
        pusher,
        [
            record(701),
            record(702, 统一社会信用代码="91450200MA00000000"),
            record(703, 行业="量子玄学"),
            record(704, 主要产品=["焊接机器人工作站", "AGV自动导引车"]),
        ],
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["proposed"], body["refused"], body["unchanged"]) == (2, 2, 0)
    results = {entry["record"]: entry for entry in body["results"]}
    assert results[1]["result"] == results[4]["result"] == "proposed"
    assert (
        results[2]["result"] == "refused" and results[2]["errors"][0]["field"] == "统一社会信用代码"
    )
    assert (
        results[3]["errors"][0]["field"] == "行业"
        and "量子玄学" in results[3]["errors"][0]["message"]
    )

    proposed = Enterprise.objects.get(uscc=uscc_for(701))
    assert proposed.status == Status.SUBMITTED and not proposed.owners.exists()
    version = proposed.versions.get()
    assert version.state == VersionState.SUBMITTED
    assert version.created_by == pusher.client.service_user
    assert set(version.data["industries"]) >= {"D02"}
    products = Enterprise.objects.get(uscc=uscc_for(704)).versions.get().data["products"]
    assert [p["name"] for p in products] == ["焊接机器人工作站", "AGV自动导引车"]
    # Nothing is live: not in the directory for anyone but reviewers.
    visitor = UserFactory(username="visitor")
    assert not policy.visible(Enterprise.objects.filter(uscc=uscc_for(701)), visitor).exists()
    assert not Enterprise.objects.filter(uscc=uscc_for(702)).exists()


def test_a_change_to_a_live_profile_is_a_proposal_beside_it(pusher):
    live = EnterpriseFactory(uscc=uscc_for(711), name="柳州推送测试711科技有限公司")
    body = send(pusher, [record(711, 企业简介="新增焊接机器人产线。")]).json()
    assert body["proposed"] == 1
    live.refresh_from_db()
    assert live.status == Status.APPROVED and live.description != "新增焊接机器人产线。"
    waiting = EnterpriseVersion.objects.get(enterprise=live, state=VersionState.SUBMITTED)
    assert waiting.data["description"] == "新增焊接机器人产线。"


def test_a_profile_under_review_or_being_edited_refuses_the_proposal(pusher):
    owner = UserFactory(username="owner7")
    mine = submitted_enterprise(owner, n=720)
    body = send(pusher, [record(720)]).json()
    assert body["refused"] == 1
    assert (
        "under review" in body["results"][0]["errors"][0]["message"] or body["results"][0]["errors"]
    )
    assert mine.versions.filter(state=VersionState.SUBMITTED).count() == 1


def test_a_push_is_logged_and_needs_its_scope(pusher):
    send(pusher, [record(731)])
    entry = Exchange.objects.get(client=pusher.client)
    assert (entry.direction, entry.record_count, entry.endpoint) == ("push", 1, PUSH)

    reader = Agency(Client(), "城市工信局", "registered", "enterprises:read")
    reader.login()
    assert send(reader, [record(732)]).status_code == 403
    assert not Enterprise.objects.filter(uscc=uscc_for(732)).exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"records": []}, {"records": "x"}, {"records": [{"企业名称": {"a": 1}}]}],
)
def test_a_malformed_push_is_a_clear_400(pusher, body):
    response = pusher.http.post(
        PUSH, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {pusher.token}"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_records_without_the_required_columns_are_refused_whole(pusher):
    response = send(pusher, [{"企业名称": "只有名称的企业"}])
    assert response.status_code == 400
    assert "统一社会信用代码" in str(response.json()["error"])
