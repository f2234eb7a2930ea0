"""The notice workflow driven through the Wagtail admin's own views, end to end:
the author submits from the editor, the classification officer sets the tier on the release
page and approves (or sends it back), the publisher approves a scheduled notice, the scheduler
makes it live, its deadline closes it, its expiry takes it down. And who may write which notice
there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from classification.tiers import Tier
from portal.notices.models import NoticePage
from tests.factories import UserFactory, login_verified

pytestmark = pytest.mark.django_db

#: Management data of the page form's stream and inline formsets.
FORMSETS = {
    "body-count": "0",
    **{
        f"{prefix}-{key}": value
        for prefix in ("required_qualifications", "attachments", "comments")
        for key, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    },
}


def _form(title: str, slug: str, kind: str = "demand", **extra: str) -> dict[str, str]:
    return {
        "title": title,
        "slug": slug,
        "kind": kind,
        "summary": "采购北斗三号短报文终端 80 台。",
        "contact_name": "李参谋",
        "contact_phone": "0771-2809876",
        "budget_min": "50",
        "budget_max": "120",
        **FORMSETS,
        **extra,
    }


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _act(client, user, notice: NoticePage, action: str, comment: str = "") -> int:
    notice.refresh_from_db()
    task_state = notice.current_workflow_task_state
    login_verified(client, user)
    url = reverse("wagtailadmin_pages:workflow_action", args=(notice.pk, action, task_state.pk))
    return client.post(url, {"comment": comment}).status_code


def test_submit_tier_check_approve_schedule_close_expire(
    client, index, author, officer, publisher, vetted
):
    now = timezone.now()
    go_live = now + timedelta(days=2)
    deadline = now + timedelta(days=5)
    expire = now + timedelta(days=9)
    login_verified(client, author)
    data = _form(
        "定时发布的需求",
        "scheduled-demand",
        deadline=_when(deadline),
        go_live_at=_when(go_live),
        expire_at=_when(expire),
    )
    created = client.post(
        f"/admin/pages/add/notices/noticepage/{index.pk}/", {**data, "action-submit": "1"}
    )
    assert created.status_code == 302, created.context["form"].errors if created.context else ""
    notice = NoticePage.objects.get(slug="scheduled-demand")
    assert notice.owner == author and not notice.live
    assert notice.current_workflow_task.name == "定密审核"
    assert notice.latest_revision.as_object().tier == Tier.VETTED  # fail closed until checked

    # The publisher cannot act before the tier check (the draft is not theirs to see yet).
    assert _act(client, publisher, notice, "approve") == 404
    notice.refresh_from_db()
    assert notice.current_workflow_task.name == "定密审核"
    # The officer sets the release on the release page: the editor's form has no such fields,
    # and what it posts for them is ignored.
    login_verified(client, officer)
    edited = client.post(f"/admin/pages/{notice.pk}/edit/", {**data, "tier": Tier.TARGETED})
    assert edited.status_code == 302
    notice.refresh_from_db()
    assert notice.tier == Tier.VETTED
    release = reverse("classification_item", args=["notices", "noticepage", notice.pk])
    settings = {"action": "tier", "tier": Tier.PUBLIC, "field__budget": Tier.REGISTERED}
    assert client.post(release, settings).status_code == 302
    assert _act(client, officer, notice, "approve") == 302
    notice.refresh_from_db()
    assert notice.current_workflow_task.name == "发布审批" and not notice.live

    # The publisher approves: with a go-live date in the future that schedules, not publishes.
    assert _act(client, publisher, notice, "approve") == 302
    notice.refresh_from_db()
    assert not notice.live and notice.current_workflow_state is None
    scheduled = Revision.page_revisions.get(
        object_id=str(notice.pk), approved_go_live_at__isnull=False
    )
    assert abs(scheduled.approved_go_live_at - go_live) < timedelta(minutes=1)
    client.logout()
    assert client.get("/notices/scheduled-demand/").status_code == 404

    # Two days pass (the schedule is moved rather than the clock); the scheduler publishes it.
    past = timezone.now() - timedelta(minutes=1)
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert notice.live and notice.tier == Tier.PUBLIC
    assert notice.field_tiers == {"budget": "registered"}
    page = client.get(notice.url).content.decode()
    assert "定时发布的需求" in page and "0771-2809876" not in page  # contact stays vetted
    assert "定时发布的需求" in client.get("/notices/?status=open").content.decode()

    # After the deadline: closed, out of the open list, still readable, no new responses.
    NoticePage.objects.filter(pk=notice.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert "定时发布的需求" not in client.get("/notices/?status=open").content.decode()
    assert "定时发布的需求" in client.get("/notices/?status=closed").content.decode()
    assert client.get(notice.url).status_code == 200
    client.force_login(vetted)
    assert client.post(f"/notices/respond/{notice.pk}/", {"message": "迟到"}).status_code == 400

    # After its expiry it is gone everywhere, and the scheduler unpublishes it.
    NoticePage.objects.filter(pk=notice.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    assert client.get(notice.url).status_code == 404
    assert "定时发布的需求" not in client.get("/notices/feed/").content.decode()
    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert not notice.live and notice.expired


def test_officer_sends_a_notice_back_and_nothing_is_published(
    client, index, editor, officer, publisher
):
    login_verified(client, editor)
    data = _form("待定密的供给信息", "supply-to-check", kind="supply")
    assert (
        client.post(
            f"/admin/pages/add/notices/noticepage/{index.pk}/", {**data, "action-submit": "1"}
        ).status_code
        == 302
    )
    notice = NoticePage.objects.get(slug="supply-to-check")
    assert _act(client, officer, notice, "reject", "请补充联系人后重新提交") == 302
    notice.refresh_from_db()
    assert not notice.live
    assert notice.current_workflow_state.status == "needs_changes"
    assert notice.current_workflow_task_state is None  # back with its author: nothing to approve
    assert client.get("/notices/supply-to-check/").status_code == 404


def test_procurement_officers_create_demand_notices_only_in_the_admin(
    client, index, author, editor
):
    login_verified(client, author)
    refused = client.post(
        f"/admin/pages/add/notices/noticepage/{index.pk}/",
        {**_form("民口供给", "civil-supply", kind="supply"), "action-submit": "1"},
    )
    assert refused.status_code == 200  # the form again, with the message, nothing saved
    assert "kind" in refused.context["form"].errors
    assert not NoticePage.objects.filter(slug="civil-supply").exists()
    for kind in ("transfer", "policy"):
        answer = client.post(
            f"/admin/pages/add/notices/noticepage/{index.pk}/", _form("x", f"x-{kind}", kind=kind)
        )
        assert "kind" in answer.context["form"].errors
    accepted = client.post(
        f"/admin/pages/add/notices/noticepage/{index.pk}/", _form("军队需求", "army-demand")
    )
    assert accepted.status_code == 302
    own = NoticePage.objects.get(slug="army-demand")

    # Their own notice stays a demand notice.
    changed = client.post(
        f"/admin/pages/{own.pk}/edit/", _form("军队需求", "army-demand", "policy")
    )
    assert changed.status_code == 200 and "kind" in changed.context["form"].errors

    # An editor's notice is not theirs to open, let alone turn into a demand notice.
    login_verified(client, editor)
    client.post(
        f"/admin/pages/add/notices/noticepage/{index.pk}/", _form("政策通知", "policy-x", "policy")
    )
    theirs = NoticePage.objects.get(slug="policy-x")
    login_verified(client, author)
    assert client.get(f"/admin/pages/{theirs.pk}/edit/").status_code == 404
    client.post(f"/admin/pages/{theirs.pk}/edit/", _form("政策通知", "policy-x", "demand"))
    theirs.refresh_from_db()
    assert theirs.latest_revision.as_object().kind == "policy"


def test_admin_explorer_lists_only_notices_the_user_may_know_of(
    client, index, make_notice, author, editor
):
    other = UserFactory(username="other-procurer", roles=["procurement"])
    make_notice("他人草稿需求", owner=author, publish=False)
    make_notice("定向需求：未授权", tier=Tier.TARGETED)
    make_notice("认证需求：可见", tier=Tier.VETTED)
    make_notice("本人草稿需求", owner=other, publish=False)

    login_verified(client, other)
    listing = client.get(f"/admin/pages/{index.pk}/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "本人草稿需求" in html and "认证需求：可见" in html
    assert "他人草稿需求" not in html and "定向需求：未授权" not in html
    search = client.get(f"/admin/pages/{index.pk}/?q=需求").content.decode()
    assert "他人草稿需求" not in search and "定向需求：未授权" not in search
    chooser = client.get(f"/admin/choose-page/{index.pk}/").json()["html"]
    assert "认证需求：可见" in chooser and "定向需求：未授权" not in chooser

    # Editors work on notices too, but drafts are their authors' and targeted notices their
    # grantees': the release policy decides in the admin as on the site.
    login_verified(client, editor)
    html = client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert "认证需求：可见" in html
    assert "他人草稿需求" not in html and "定向需求：未授权" not in html
