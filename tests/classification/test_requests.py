"""Access requests (申请查看): ask with a reason, an officer approves or denies, e-mail, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from classification import changes, policy, requests
from classification.models import AccessLog, AccessRequest, RequestStatus
from classification.tiers import Tier
from portal.accounts import roles
from portal.accounts.models import User

from .conftest import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def _url(item) -> str:
    return reverse("classification:request_access", args=["enterprises", "enterprise", item.pk])


def test_request_page_lists_hidden_fields_and_needs_a_reason(client) -> None:
    item = make_enterprise("公开企业", tier=Tier.PUBLIC)
    user = make_user("reg")
    client.force_login(user)
    page = client.get(_url(item))
    assert page.status_code == 200
    text = page.content.decode()
    assert "公开企业" in text and "联系人" in text
    blank = client.post(_url(item), {"reason": "  "})
    assert blank.status_code == 400
    assert not AccessRequest.objects.exists()
    sent = client.post(_url(item), {"reason": "参与投标需要联系人"})
    assert sent.status_code == 302 and sent["Location"] == reverse("classification:my_requests")
    row = AccessRequest.objects.get()
    assert (row.user, row.object_id, row.reason) == (user, item.pk, "参与投标需要联系人")
    again = client.post(_url(item), {"reason": "再次申请"})
    assert again.status_code == 400
    assert AccessRequest.objects.count() == 1
    mine = client.get(reverse("classification:my_requests"))
    assert "公开企业" in mine.content.decode()


def test_request_page_is_404_for_what_one_cannot_see(client) -> None:
    hidden = make_enterprise("认证企业", tier=Tier.VETTED)
    client.force_login(make_user("reg"))
    assert client.get(_url(hidden)).status_code == 404
    assert client.post(_url(hidden), {"reason": "x"}).status_code == 404
    assert client.get("/classification/request/accounts/user/1/").status_code == 404
    assert client.get("/classification/request/nope/nothing/1/").status_code == 404


def test_request_page_needs_sign_in(client) -> None:
    item = make_enterprise("公开企业")
    response = client.get(_url(item))
    assert response.status_code == 302 and "login" in response["Location"]


def test_approve_grants_until_expiry_mails_and_audits(django_capture_on_commit_callbacks) -> None:
    item = make_enterprise("公开企业", tier=Tier.PUBLIC)
    user = make_user("proc", roles.PROCUREMENT)
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    changes.set_tier(officer, item, Tier.PUBLIC, {"contacts": Tier.TARGETED})
    row = requests.submit(user, item, "评估供应商")
    assert requests.hidden_fields(user, item) == ["contacts"]
    until = timezone.now() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        requests.approve(officer, row, until, "七天内有效")
    row.refresh_from_db()
    assert row.status == RequestStatus.APPROVED and row.granted_until == until
    assert requests.hidden_fields(User.objects.get(pk=user.pk), item) == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["proc@example.com"] and "公开企业" in message.subject
    assert "七天内有效" in message.body
    actions = list(AccessLog.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "classification.tier.changed",  # the officer raised the contacts' tier
        "classification.access_request.created",
        "classification.grant.created",
        "classification.access_request.approved",
    ]
    with pytest.raises(ValidationError):
        requests.deny(officer, row, "已决定")


def test_deny_needs_a_reason_and_mails_it(django_capture_on_commit_callbacks) -> None:
    item = make_enterprise("公开企业", tier=Tier.PUBLIC)
    user = make_user("reg")
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    row = requests.submit(user, item, "想看联系人")
    with pytest.raises(ValidationError):
        requests.deny(officer, row, " ")
    with django_capture_on_commit_callbacks(execute=True):
        requests.deny(officer, row, "用途不明确")
    row.refresh_from_db()
    assert row.status == RequestStatus.DENIED and row.granted_until is None
    assert len(mail.outbox) == 1 and "用途不明确" in mail.outbox[0].body
    assert "用途不明确" in mail.outbox[0].alternatives[0][0]
    assert AccessLog.objects.filter(action="classification.access_request.denied").count() == 1
    assert requests.hidden_fields(User.objects.get(pk=user.pk), item) != []


def test_nothing_to_request_and_no_request_for_invisible_items() -> None:
    from django.core.exceptions import PermissionDenied

    item = make_enterprise("公开企业")
    procurement = make_user("proc", roles.PROCUREMENT)
    with pytest.raises(ValidationError):
        requests.submit(procurement, item, "全部可见")
    with pytest.raises(PermissionDenied):
        requests.submit(make_user("reg"), make_enterprise("定向", tier=Tier.TARGETED), "看看")
    assert policy.can_view(procurement, item)
