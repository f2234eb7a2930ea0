"""Publishing end to end: submit → classification officer approves → publisher approves → live;
scheduled go-live and expiry through Wagtail's own fields and command; who may write what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from classification.tiers import Tier
from portal.notices.forms import NoticePageForm
from portal.notices.models import NoticePage
from tests.factories import login_verified

pytestmark = pytest.mark.django_db


def _approve(client, user, notice: NoticePage) -> int:
    task_state = notice.current_workflow_task_state
    login_verified(client, user)
    url = reverse("wagtailadmin_pages:workflow_action", args=(notice.pk, "approve", task_state.pk))
    return client.post(url, {"comment": ""}).status_code


def test_index_carries_the_two_step_workflow(index):
    workflow = index.get_workflow()
    assert workflow.name == "供需信息发布"
    tasks = [task.specific for task in workflow.tasks.order_by("workflow_tasks__sort_order")]
    assert [t.name for t in tasks] == ["定密审核", "发布审批"]
    assert [list(t.groups.values_list("name", flat=True)) for t in tasks] == [
        ["classification_officer"],
        ["publisher"],
    ]


def test_submit_officer_then_publisher_makes_it_live(
    client, make_notice, editor, officer, publisher
):
    notice = make_notice("编辑提交的需求", owner=editor, publish=False, tier=Tier.VETTED)
    workflow = notice.get_workflow()
    workflow.start(notice, editor)
    notice.refresh_from_db()
    assert notice.current_workflow_task.name == "定密审核"

    # The publisher may not skip the tier check.
    task = notice.current_workflow_task.specific
    assert task.get_actions(notice, publisher) == []

    # The officer lowers the tier to public on the release page while checking it (the one
    # writer of release settings), then approves.
    login_verified(client, officer)
    release = reverse("classification_item", args=["notices", "noticepage", notice.pk])
    assert client.post(release, {"action": "tier", "tier": Tier.PUBLIC}).status_code == 302
    assert _approve(client, officer, notice) == 302
    notice.refresh_from_db()
    assert not notice.live
    assert notice.current_workflow_task.name == "发布审批"

    assert _approve(client, publisher, notice) == 302
    notice.refresh_from_db()
    assert notice.live
    assert notice.tier == Tier.PUBLIC
    client.logout()
    assert client.get(notice.url).status_code == 200


def test_scheduled_go_live_and_expiry(client, make_notice):
    notice = make_notice("定时发布的政策通知", kind="policy", publish=False)
    notice.go_live_at = timezone.now() + timedelta(days=2)
    notice.expire_at = timezone.now() + timedelta(days=9)
    revision = notice.save_revision()
    revision.publish()
    notice.refresh_from_db()
    assert not notice.live
    assert client.get(notice.url).status_code == 404

    # Two days later the scheduler publishes it.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert notice.live
    assert client.get(notice.url).status_code == 200

    # After its expiry it is gone even before the scheduler unpublishes it, and after.
    NoticePage.objects.filter(pk=notice.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    assert client.get(notice.url).status_code == 404
    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert not notice.live and notice.expired


#: Management data of the page form's stream and inline formsets.
EMPTY_PARTS = {
    "body-count": "0",
    **{
        f"{prefix}-{key}": value
        for prefix in ("required_qualifications", "attachments")
        for key, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    },
}


def test_procurement_officers_create_demand_notices_only(index, author, editor):
    form_class = NoticePage.get_edit_handler().get_form_class()
    data = {"title": "供给", "slug": "supply-x", "kind": "supply", "summary": "…", **EMPTY_PARTS}
    form = form_class(data=data, instance=NoticePage(), parent_page=index, for_user=author)
    form.is_valid()
    assert "kind" in form.errors
    assert issubclass(form_class, NoticePageForm)
    editors_form = form_class(data=data, instance=NoticePage(), parent_page=index, for_user=editor)
    editors_form.is_valid()
    assert "kind" not in editors_form.errors


def test_budget_range_must_be_ordered(index, editor):
    form_class = NoticePage.get_edit_handler().get_form_class()
    data = {
        "title": "需求",
        "slug": "d",
        "kind": "demand",
        "summary": "…",
        "budget_min": "500",
        "budget_max": "100",
        **EMPTY_PARTS,
    }
    form = form_class(data=data, instance=NoticePage(), parent_page=index, for_user=editor)
    form.is_valid()
    assert "budget_max" in form.errors


def test_release_settings_are_on_no_page_form(client, index, make_notice, editor, officer):
    form_class = NoticePage.get_edit_handler().get_form_class()
    for user in (editor, officer):
        form = form_class(instance=NoticePage(), parent_page=index, for_user=user)
        assert "tier" not in form.fields and "field_tiers" not in form.fields
    # A notice nobody classified yet is vetted, not public (fail closed).
    assert NoticePage().tier == Tier.VETTED
    # The editor sees the current tier read-only; the officer also gets the release page link.
    notice = make_notice("编辑的需求", owner=editor, publish=False, tier=Tier.REGISTERED)
    release = reverse("classification_item", args=["notices", "noticepage", notice.pk])
    login_verified(client, editor)
    page = client.get(f"/admin/pages/{notice.pk}/edit/").content.decode()
    assert "release-panel" in page and str(Tier.REGISTERED.label) in page
    assert release not in page
    login_verified(client, officer)
    assert release in client.get(f"/admin/pages/{notice.pk}/edit/").content.decode()


def test_only_superusers_see_the_direct_publish_button(client, make_notice, editor, publisher):
    notice = make_notice("待审核的需求", owner=editor, publish=False)
    login_verified(client, editor)
    page = client.get(f"/admin/pages/{notice.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in page
    assert 'name="action-submit"' in page or "action-submit" in page
    refused = client.post(f"/admin/pages/{notice.pk}/edit/", {"action-publish": "1"})
    assert refused.status_code == 302
    notice.refresh_from_db()
    assert not notice.live
    # A publisher acts at the last workflow step only: someone else's draft is not theirs.
    login_verified(client, publisher)
    assert client.get(f"/admin/pages/{notice.pk}/edit/").status_code == 404
    assert Workflow.objects.filter(name="供需信息发布").exists()


def test_publisher_is_a_role_with_admin_access(client, publisher):
    from portal.accounts import roles

    assert roles.PUBLISHER in roles.ROLES and roles.PUBLISHER in roles.ADMIN_ROLES
    assert roles.role_names(publisher) == {roles.PUBLISHER}
    assert publisher.has_perm("wagtailadmin.access_admin")
    login_verified(client, publisher)
    assert client.get("/admin/").status_code == 200
    account = client.get("/accounts/").content.decode()
    assert "发布审批人" in account or "Publisher" in account
