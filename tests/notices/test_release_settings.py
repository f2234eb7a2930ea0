"""Release settings are not page content: no revision, publication, schedule, revert, copy,
move, unpublish or stale save changes an item's tier, field tiers or grants.

The first test is the sequence that once made a raised tier undone: a public notice with a
pending draft, raised to targeted on the release page, then the draft published.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from classification import changes
from classification.models import AccessLog
from classification.tiers import Tier
from portal.notices.models import NoticePage
from tests.factories import login_verified

pytestmark = pytest.mark.django_db


def _release_page(notice: NoticePage) -> str:
    return reverse("classification_item", args=["notices", "noticepage", notice.pk])


def _tier(notice: NoticePage) -> tuple[str, dict]:
    return NoticePage.objects.values_list("tier", "field_tiers").get(pk=notice.pk)


def test_a_raised_tier_survives_publishing_a_pending_draft(client, make_notice, editor, officer):
    notice = make_notice("公开需求：待改稿", tier=Tier.PUBLIC, owner=editor)
    draft = notice.get_latest_revision_as_object()
    draft.summary = "改稿后的摘要：采购北斗终端 300 台。"
    revision = draft.save_revision(user=editor)
    assert client.get(f"/api/v1/notices/{notice.pk}/").status_code == 200

    login_verified(client, officer)
    raised = client.post(_release_page(notice), {"action": "tier", "tier": Tier.TARGETED})
    assert raised.status_code == 302
    revision.publish()  # as the workflow's last approval or an administrator would

    notice.refresh_from_db()
    assert notice.live and notice.summary.startswith("改稿后的摘要")
    assert notice.tier == Tier.TARGETED
    client.logout()
    assert client.get(f"/api/v1/notices/{notice.pk}/").status_code == 404
    assert client.get(notice.url).status_code == 404
    logged = AccessLog.objects.get(action="classification.tier.changed", object_id=notice.pk)
    assert logged.detail["to"]["tier"] == Tier.TARGETED


def test_revisions_neither_store_nor_restore_release_settings(make_notice, officer):
    notice = make_notice("历史版本", tier=Tier.PUBLIC)
    first = notice.live_revision
    assert "tier" not in first.content and "field_tiers" not in first.content
    changes.set_tier(officer, notice, Tier.VETTED, {"budget": Tier.TARGETED})
    # Reverting to the first revision (publishing it again) keeps the settings in force.
    Revision.objects.get(pk=first.pk).publish()
    assert _tier(notice) == (Tier.VETTED, {"budget": Tier.TARGETED})
    # A page built from any revision carries the settings in force, not old ones.
    assert first.as_object().tier == Tier.VETTED
    for revision in Revision.page_revisions.filter(object_id=str(notice.pk)):
        assert "tier" not in revision.content


def test_scheduled_publication_keeps_the_tier_set_meanwhile(make_notice, officer):
    notice = make_notice("定时发布", publish=False, tier=Tier.PUBLIC)
    notice.go_live_at = timezone.now() + timedelta(days=1)
    revision = notice.save_revision()
    revision.publish()
    changes.set_tier(officer, notice, Tier.REGISTERED)
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert notice.live and notice.tier == Tier.REGISTERED


def test_unpublish_copy_move_and_stale_saves_keep_the_settings(make_notice, officer, index):
    notice = make_notice("复制与下线", tier=Tier.PUBLIC)
    stale = NoticePage.objects.get(pk=notice.pk)  # loaded before the officer's change
    changes.set_tier(officer, notice, Tier.TARGETED, {"contact": Tier.TARGETED})
    grantee = officer.__class__.objects.create_user("grantee", "g@example.com", "x")
    changes.grant(officer, notice, grantee)

    stale.title = "复制与下线（改）"
    stale.save()
    assert _tier(notice) == (Tier.TARGETED, {"contact": Tier.TARGETED})

    copy = NoticePage.objects.get(pk=notice.pk).copy(
        update_attrs={"slug": "copied-notice", "title": "副本"}
    )
    assert _tier(notice) == (Tier.TARGETED, {"contact": Tier.TARGETED})
    # The copy is a new item at the source's release, fail closed: no grant comes with it.
    assert _tier(copy) == (Tier.TARGETED, {"contact": Tier.TARGETED})
    assert not copy.user_grants.exists() and notice.user_grants.count() == 1

    NoticePage.objects.get(pk=notice.pk).unpublish()
    assert _tier(notice) == (Tier.TARGETED, {"contact": Tier.TARGETED})
    notice.refresh_from_db()
    notice.get_latest_revision().publish()
    assert _tier(notice) == (Tier.TARGETED, {"contact": Tier.TARGETED})

    NoticePage.objects.get(pk=notice.pk).move(index, pos="last-child")
    assert _tier(notice) == (Tier.TARGETED, {"contact": Tier.TARGETED})


def test_posting_release_fields_to_the_editor_changes_nothing(client, make_notice, editor):
    from .test_admin_workflow import _form

    notice = make_notice("编辑表单", tier=Tier.REGISTERED, owner=editor)
    login_verified(client, editor)
    form = client.get(f"/admin/pages/{notice.pk}/edit/").context["form"]
    assert "tier" not in form.fields and "field_tiers" not in form.fields
    budget = '{"budget": "public"}'
    data = _form("编辑表单（改）", notice.slug, tier=Tier.PUBLIC, field_tiers=budget)
    assert client.post(f"/admin/pages/{notice.pk}/edit/", data).status_code == 302
    notice.refresh_from_db()
    assert notice.get_latest_revision_as_object().title == "编辑表单（改）"
    assert _tier(notice) == (Tier.REGISTERED, {})
