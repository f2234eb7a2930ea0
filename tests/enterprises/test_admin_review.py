"""The reviewers' pages in the Wagtail admin: queue, review page with diff, decisions, access."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext

from portal.accounts import roles
from portal.enterprises import workflow
from portal.enterprises.admin_views.queue import submission_kind
from portal.enterprises.models import Enterprise, Status, VersionState
from portal.enterprises.wagtail_hooks import ReviewQueuePanel
from tests.factories import EnterpriseFactory, UserFactory, login_verified, submitted_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return UserFactory(username="shenhe", roles=[roles.REVIEWER])


@pytest.fixture
def owner():
    return UserFactory(username="qiye", roles=[roles.ENTERPRISE])


def submission_kind_label(msgid: str) -> str:
    return str(gettext(msgid))


def label(field: str) -> str:
    return str(capfirst(Enterprise._meta.get_field(field).verbose_name))


def review_url(enterprise: Enterprise) -> str:
    return reverse("enterprises_review:review", args=[enterprise.pk])


def test_queue_lists_submitted_versions_oldest_first(client, reviewer, owner) -> None:
    first = submitted_enterprise(owner, 901)
    second = submitted_enterprise(owner, 902)
    live = EnterpriseFactory(name="柳州已认证装备有限公司", owners=[owner])
    workflow.save_draft(owner, live, {"description": "新增军品配套能力。"})
    workflow.submit(owner, live)
    EnterpriseFactory(name="不在队列中的企业")
    login_verified(client, reviewer)
    response = client.get(reverse("enterprises_review:queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(first.name) < html.index(second.name) < html.index(live.name)
    assert "不在队列中的企业" not in html
    assert first.uscc in html and "南宁市 青秀区" in html
    kinds = {v.enterprise_id: submission_kind(v) for v in response.context["object_list"]}
    assert kinds[first.pk] == submission_kind_label("First submission")
    assert kinds[live.pk] == submission_kind_label("Change to an approved profile")
    assert kinds[first.pk] in html and kinds[live.pk] in html
    assert review_url(first) in html


def test_review_page_shows_labelled_diff_against_the_approved_version(
    client, reviewer, owner
) -> None:
    enterprise = submitted_enterprise(
        owner, 903, products=[{"name": "北斗终端", "description": ""}]
    )
    workflow.approve(reviewer, enterprise)
    workflow.save_draft(
        owner,
        enterprise,
        {
            "region": "450203",
            "industries": ["D0101", "D0201"],
            "staff_size": "100-299",
            "products": [{"name": "短报文模块", "description": "北斗三号"}],
        },
    )
    workflow.submit(owner, enterprise)
    login_verified(client, reviewer)
    response = client.get(review_url(enterprise))
    assert response.status_code == 200
    changed = {change.label: change for change in response.context["changed_fields"]}
    region = changed[label("region")]
    assert region.before == "南宁市 青秀区" and region.after.startswith("柳州市")
    industries = changed[label("industries")]
    assert industries.before == "北斗导航" and "工业机器人" in industries.after
    assert label("description") not in changed
    (products,) = response.context["changed_tables"]
    assert products.added == [["短报文模块", "北斗三号"]]
    assert products.removed == [["北斗终端", "—"]]
    assert not response.context["is_first_submission"]
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert "/admin/classification/item/enterprises/enterprise/" in html


def test_first_submission_shows_everything_as_new(client, reviewer, owner) -> None:
    enterprise = submitted_enterprise(owner, 904)
    login_verified(client, reviewer)
    response = client.get(review_url(enterprise))
    assert response.context["is_first_submission"]
    labels = {change.label: change for change in response.context["changed_fields"]}
    name = labels[label("name")]
    assert name.before == "—" and name.after == enterprise.name
    (contacts,) = response.context["changed_tables"]
    assert contacts.added[0][0] == "李明" and not contacts.removed


def test_approve_by_post(client, reviewer, owner, django_capture_on_commit_callbacks) -> None:
    enterprise = submitted_enterprise(owner, 905)
    login_verified(client, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(enterprise), {"action": "approve"})
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises_review:queue")
    enterprise.refresh_from_db()
    assert enterprise.status == Status.APPROVED
    assert [message.to for message in mail.outbox] == [[owner.email]]


def test_return_needs_reasons_and_keeps_what_was_typed(client, reviewer, owner) -> None:
    enterprise = submitted_enterprise(owner, 906)
    login_verified(client, reviewer)
    response = client.post(review_url(enterprise), {"action": "return", "return-reason": "  "})
    assert response.status_code == 400
    assert response.context["return_form"].errors["reason"]
    enterprise.refresh_from_db()
    assert enterprise.status == Status.SUBMITTED
    response = client.post(
        review_url(enterprise), {"action": "return", "return-reason": "请补充保密资格证书扫描件。"}
    )
    assert response.status_code == 302
    version = enterprise.versions.first()
    assert version.state == VersionState.RETURNED
    assert version.reason == "请补充保密资格证书扫描件。"


def test_revoke_from_the_review_page(client, reviewer, owner) -> None:
    enterprise = EnterpriseFactory(owners=[owner])
    login_verified(client, reviewer)
    page = client.get(review_url(enterprise))
    assert page.context["can_revoke"] and page.context["submitted"] is None
    refused = client.post(review_url(enterprise), {"action": "revoke", "revoke-reason": ""})
    assert refused.status_code == 400
    response = client.post(
        review_url(enterprise), {"action": "revoke", "revoke-reason": "资质证书已过期且未更新。"}
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == Status.REVOKED


def test_a_decision_that_is_not_possible_shows_the_workflow_message(
    client, reviewer, owner
) -> None:
    enterprise = EnterpriseFactory(owners=[owner])
    login_verified(client, reviewer)
    response = client.post(review_url(enterprise), {"action": "approve"})
    assert response.status_code == 400
    messages = [str(message) for message in response.context["messages"]]
    assert messages and enterprise.status == Status.APPROVED


def test_browse_filters_by_status_and_links_to_classification(client, reviewer) -> None:
    approved = EnterpriseFactory(name="北海电子有限公司")
    EnterpriseFactory(name="钦州撤销企业有限公司", status=Status.REVOKED)
    login_verified(client, reviewer)
    response = client.get(reverse("enterprises_review:browse"), {"status": "approved"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "北海电子有限公司" in html and "钦州撤销企业有限公司" not in html
    assert f"/admin/classification/item/enterprises/enterprise/{approved.pk}/" in html
    # A revoked profile is no longer released: reviewers do not see it (nothing to review).
    everything = client.get(reverse("enterprises_review:browse")).content.decode()
    assert "北海电子有限公司" in everything and "钦州撤销企业有限公司" not in everything
    found = client.get(reverse("enterprises_review:browse"), {"q": approved.uscc[-6:]})
    assert list(found.context["object_list"]) == [approved]


@pytest.mark.parametrize("role", [roles.EDITOR, roles.PROCUREMENT, roles.CLASSIFICATION_OFFICER])
def test_other_admin_users_are_refused_and_see_no_menu(client, owner, role) -> None:
    """Wagtail's convention: a redirect to the dashboard with an error, 403 for XHR. A profile
    under review is not released: to those who may not see it (they do not review it), its
    review page is 404, as for any hidden item."""
    enterprise = submitted_enterprise(owner, 907)
    login_verified(client, UserFactory(username=f"staff-{role}", roles=[role]))
    sees_it = role == roles.CLASSIFICATION_OFFICER
    pages = [reverse("enterprises_review:queue"), reverse("enterprises_review:browse")]
    for url in [*pages, review_url(enterprise)]:
        response = client.get(url)
        if url not in pages and not sees_it:
            assert response.status_code == 404
            continue
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        xhr = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        assert xhr.status_code == 403
        assert enterprise.name not in xhr.content.decode()
    refused = client.post(review_url(enterprise), {"action": "approve"})
    assert refused.status_code == (302 if sees_it else 404)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.SUBMITTED
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("enterprises_review:queue") not in home
    assert "enterprise-review" not in home


def test_anonymous_and_enterprise_users_are_sent_to_login(client, owner) -> None:
    enterprise = submitted_enterprise(owner, 908)
    anonymous = client.get(review_url(enterprise))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(owner)
    response = client.post(review_url(enterprise), {"action": "approve"})
    assert response.status_code in (302, 403)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.SUBMITTED


def test_reviewer_sees_menu_and_dashboard_count(client, reviewer, owner) -> None:
    submitted_enterprise(owner, 909)
    submitted_enterprise(owner, 910)
    login_verified(client, reviewer)
    home = client.get(reverse("wagtailadmin_home"))
    html = home.content.decode()
    assert reverse("enterprises_review:queue") in html
    assert 'id="enterprise-review' in html
    assert ReviewQueuePanel().get_context_data({"request": home.wsgi_request})["waiting"] == 2


def test_missing_profile_is_404_for_reviewers(client, reviewer) -> None:
    login_verified(client, reviewer)
    assert client.get(reverse("enterprises_review:review", args=[999999])).status_code == 404
