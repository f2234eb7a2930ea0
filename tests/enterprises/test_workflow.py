"""The review workflow: every transition, who may do it, what owners are told, and atomicity."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError

from portal.accounts import roles
from portal.enterprises import workflow
from portal.enterprises.models import Enterprise, Product, Status, VersionState
from tests.factories import (
    EnterpriseFactory,
    UserFactory,
    complete_profile,
    submitted_enterprise,
    uscc_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(username="owner", roles=[roles.ENTERPRISE])


@pytest.fixture
def other():
    return UserFactory(username="other", roles=[roles.ENTERPRISE])


@pytest.fixture
def reviewer():
    return UserFactory(username="reviewer", roles=[roles.REVIEWER])


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call a transition and run what it queued for after commit (the mail task; Celery is
    eager in tests), as a real request would once its transaction commits."""

    def run(transition, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return transition(*args, **kwargs)

    return run


def test_create_starts_a_draft_owned_by_its_creator(owner) -> None:
    enterprise = workflow.create_enterprise(
        owner, uscc=uscc_for(1), name="钦州港测试有限公司", region="450703"
    )
    assert enterprise.status == Status.DRAFT and workflow.is_owner(owner, enterprise)
    version = workflow.open_version(enterprise)
    assert version.state == VersionState.DRAFT and version.data["name"] == "钦州港测试有限公司"


def test_create_refuses_a_wrong_credit_code_and_saves_nothing(owner) -> None:
    with pytest.raises(Exception) as error:
        workflow.create_enterprise(owner, uscc="91450103MA00000000", name="错码", region="450103")
    assert "uscc" in error.value.message_dict
    assert not Enterprise.objects.exists()


def test_only_owners_edit_and_submit(owner, other, reviewer) -> None:
    enterprise = workflow.create_enterprise(owner, uscc=uscc_for(2), name="甲", region="450103")
    for user in (other, reviewer, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            workflow.save_draft(user, enterprise, {"description": "篡改"})
        with pytest.raises(PermissionDenied):
            workflow.submit(user, enterprise)
    assert workflow.open_version(enterprise).data["description"] == ""


def test_submit_needs_a_complete_profile(owner) -> None:
    enterprise = workflow.create_enterprise(owner, uscc=uscc_for(3), name="乙", region="450103")
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.submit(owner, enterprise)
    assert "industr" in str(error.value.messages) or "行业" in str(error.value.messages)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.DRAFT
    workflow.save_draft(owner, enterprise, complete_profile())
    version = workflow.submit(owner, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.SUBMITTED and version.state == VersionState.SUBMITTED
    assert version.submitted_at is not None
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(owner, enterprise)
    with pytest.raises(workflow.WorkflowError):
        workflow.save_draft(owner, enterprise, {"description": "审核中修改"})


@pytest.mark.parametrize("who", ["owner", "other", "anonymous", "editor"])
def test_only_reviewers_decide(owner, other, who, committed) -> None:
    enterprise = submitted_enterprise(owner, 10)
    user = {
        "owner": owner,
        "other": other,
        "anonymous": AnonymousUser(),
        "editor": UserFactory(username="editor", roles=[roles.EDITOR]),
    }[who]
    with pytest.raises(PermissionDenied):
        committed(workflow.approve, user, enterprise)
    with pytest.raises(PermissionDenied):
        committed(workflow.return_for_changes, user, enterprise, "理由")
    with pytest.raises(PermissionDenied):
        committed(workflow.revoke, user, enterprise, "理由")
    enterprise.refresh_from_db()
    assert enterprise.status == Status.SUBMITTED


def test_reviewer_by_permission_or_superuser(owner, committed) -> None:
    permitted = UserFactory(username="permitted")
    permitted.user_permissions.add(Permission.objects.get(codename="review_enterprise"))
    superuser = UserFactory(username="root", is_superuser=True)
    assert workflow.is_reviewer(permitted) and workflow.is_reviewer(superuser)
    assert not workflow.is_reviewer(owner) and not workflow.is_reviewer(AnonymousUser())
    enterprise = submitted_enterprise(owner, 11)
    committed(workflow.approve, permitted, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.APPROVED


def test_approve_makes_the_version_live_and_mails_the_owner(owner, reviewer, committed) -> None:
    enterprise = submitted_enterprise(
        owner, 12, products=[{"name": "北斗终端", "description": "短报文"}]
    )
    version = committed(workflow.approve, reviewer, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.APPROVED and enterprise.approved_at is not None
    assert version.state == VersionState.APPROVED and version.decided_by == reviewer
    assert enterprise.description == "专注北斗导航终端研发与生产。"
    assert list(enterprise.products.values_list("name", flat=True)) == ["北斗终端"]
    assert list(enterprise.industries.values_list("code", flat=True)) == ["D0101"]
    (message,) = mail.outbox
    assert message.to == [owner.email] and enterprise.name in message.subject
    with pytest.raises(workflow.WorkflowError):
        committed(workflow.approve, reviewer, enterprise)


def test_return_requires_reasons_and_tells_the_owner(owner, reviewer, committed) -> None:
    enterprise = submitted_enterprise(owner, 13)
    for reason in ("", "   "):
        with pytest.raises(workflow.WorkflowError):
            committed(workflow.return_for_changes, reviewer, enterprise, reason)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.SUBMITTED and not mail.outbox
    version = committed(workflow.return_for_changes, reviewer, enterprise, " 请补充保密资格证书。 ")
    enterprise.refresh_from_db()
    assert enterprise.status == Status.RETURNED
    assert version.state == VersionState.RETURNED and version.reason == "请补充保密资格证书。"
    (message,) = mail.outbox
    assert enterprise.name in message.subject
    assert "请补充保密资格证书。" in message.body
    assert "请补充保密资格证书。" in message.alternatives[0][0]


def test_resubmission_after_return_starts_from_the_returned_data(
    owner, reviewer, committed
) -> None:
    enterprise = submitted_enterprise(owner, 14, capabilities="精密加工")
    returned = workflow.return_for_changes(reviewer, enterprise, "请补充产品。")
    draft = workflow.save_draft(owner, enterprise, {"products": [{"name": "北斗终端"}]})
    assert draft.pk != returned.pk and draft.number == returned.number + 1
    assert draft.data["capabilities"] == "精密加工"
    assert draft.data["products"] == [{"name": "北斗终端"}]
    workflow.submit(owner, enterprise)
    committed(workflow.approve, reviewer, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.capabilities == "精密加工"
    assert list(enterprise.products.values_list("name", flat=True)) == ["北斗终端"]


def test_approved_profile_stays_live_while_a_change_is_reviewed(owner, reviewer, committed) -> None:
    enterprise = submitted_enterprise(owner, 15)
    committed(workflow.approve, reviewer, enterprise)
    workflow.save_draft(owner, enterprise, {"name": "改名后的公司", "description": "新简介"})
    workflow.submit(owner, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.APPROVED
    assert enterprise.name == "广西测试15科技有限公司" and enterprise.description != "新简介"
    assert Enterprise.objects.filter(status=Status.APPROVED, pk=enterprise.pk).exists()

    committed(workflow.return_for_changes, reviewer, enterprise, "名称与营业执照不符。")
    enterprise.refresh_from_db()
    assert enterprise.status == Status.APPROVED
    assert enterprise.name == "广西测试15科技有限公司" and enterprise.description != "新简介"
    assert len(mail.outbox) == 2 and enterprise.name in mail.outbox[-1].subject
    assert "名称与营业执照不符。" in mail.outbox[-1].body

    # The next working copy starts from the returned change, not from the live profile.
    assert workflow.working_copy(owner, enterprise).data["name"] == "改名后的公司"
    workflow.submit(owner, enterprise)
    committed(workflow.approve, reviewer, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.name == "改名后的公司" and enterprise.description == "新简介"
    assert len(mail.outbox) == 3


def test_revoke_needs_reasons_and_an_approved_profile(owner, reviewer, committed) -> None:
    enterprise = EnterpriseFactory(owners=[owner])
    with pytest.raises(workflow.WorkflowError):
        committed(workflow.revoke, reviewer, enterprise, "")
    committed(workflow.revoke, reviewer, enterprise, "资质证书已过期。")
    enterprise.refresh_from_db()
    assert enterprise.status == Status.REVOKED
    (message,) = mail.outbox
    assert enterprise.name in message.subject and "资质证书已过期。" in message.body
    with pytest.raises(workflow.WorkflowError):
        committed(workflow.revoke, reviewer, enterprise, "再次撤销")
    draft = submitted_enterprise(owner, 16)
    with pytest.raises(workflow.WorkflowError):
        committed(workflow.revoke, reviewer, draft, "未认证")


def test_revoked_profile_can_be_resubmitted_and_approved_again(owner, reviewer, committed) -> None:
    enterprise = submitted_enterprise(owner, 17)
    committed(workflow.approve, reviewer, enterprise)
    committed(workflow.revoke, reviewer, enterprise, "资质过期。")
    workflow.save_draft(owner, enterprise, {"description": "资质已更新。"})
    workflow.submit(owner, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.SUBMITTED
    committed(workflow.approve, reviewer, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.APPROVED and enterprise.description == "资质已更新。"


def test_no_mail_without_owner_addresses(reviewer, committed) -> None:
    enterprise = EnterpriseFactory()
    committed(workflow.revoke, reviewer, enterprise, "名单更新。")
    assert mail.outbox == []


def test_failed_approval_leaves_nothing_half_written(owner, reviewer, committed) -> None:
    """A product name longer than its column fails after the profile row was written; the
    transaction must take back the profile, the lists and the version state."""
    enterprise = submitted_enterprise(owner, 18)
    committed(workflow.approve, reviewer, enterprise)
    workflow.save_draft(
        owner, enterprise, {"name": "半写入测试公司", "products": [{"name": "超" * 150}]}
    )
    workflow.submit(owner, enterprise)
    mail.outbox.clear()
    with pytest.raises(DatabaseError):
        committed(workflow.approve, reviewer, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.name == "广西测试18科技有限公司" and enterprise.status == Status.APPROVED
    assert enterprise.contacts.count() == 1
    assert not Product.objects.filter(enterprise=enterprise).exists()
    assert workflow.open_version(enterprise).state == VersionState.SUBMITTED
    assert mail.outbox == []
