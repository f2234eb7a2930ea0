"""The reviewer's tools: claim letters and scans opened inline through the release policy
(audited, 404 for everyone else), the dashboard's claim count, the credit-code lookup link and
the character diff on the review page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from classification.models import AccessLog
from portal.accounts import roles
from portal.enterprises import claims, workflow
from portal.enterprises.models import ClaimState, EnterpriseClaim
from portal.enterprises.snapshots import snapshot
from portal.enterprises.wagtail_hooks import ReviewQueuePanel
from tests.factories import EnterpriseFactory, UserFactory, login_verified, submitted_enterprise

from .view_helpers import pdf, qualification_post, use_private_media

pytestmark = pytest.mark.django_db

GSXT = "https://www.gsxt.gov.cn/index.html"


@pytest.fixture
def private_media(settings, tmp_path):
    yield from use_private_media(settings, tmp_path)


@pytest.fixture
def reviewer():
    return UserFactory(username="shenhe", roles=[roles.REVIEWER])


@pytest.fixture
def claim(private_media) -> EnterpriseClaim:
    """A pending claim with a PDF letter on an imported (owner-less) profile."""
    imported = EnterpriseFactory(name="桂林石墨烯材料有限公司")
    claimant = UserFactory(username="renling", roles=[roles.ENTERPRISE])
    return claims.submit_claim(
        claimant, imported.uscc, "我是公司法定代表人。", document=pdf("授权委托书.pdf")
    )


def letter(claim: EnterpriseClaim) -> str:
    return reverse("enterprises:claim_letter", args=[claim.pk])


def test_reviewer_opens_a_pending_claims_letter_inline_and_it_is_audited(
    client, claim, reviewer
) -> None:
    login_verified(client, reviewer)
    response = client.get(letter(claim))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    entry = AccessLog.objects.get(action="classification.document.downloaded")
    assert entry.user == reviewer and entry.object_id == claim.enterprise_id
    assert entry.detail == {"claim": claim.pk}


def test_the_claimant_and_officers_read_the_letter_others_get_404(client, claim) -> None:
    client.force_login(claim.claimant)
    assert client.get(letter(claim)).status_code == 200
    for role in (roles.PROCUREMENT, roles.EDITOR, roles.ENTERPRISE):
        client.force_login(UserFactory(roles=[role]))
        assert client.get(letter(claim)).status_code == 404
    client.logout()
    assert client.get(letter(claim)).status_code == 404
    login_verified(client, UserFactory(roles=[roles.CLASSIFICATION_OFFICER]))
    assert client.get(letter(claim)).status_code == 200
    missing = reverse("enterprises:claim_letter", args=[999999])
    assert client.get(missing).status_code == 404


def test_a_decided_claims_letter_is_no_longer_the_reviewers(client, claim, reviewer) -> None:
    claims.reject(reviewer, claim, "无法核实。")
    login_verified(client, reviewer)
    assert client.get(letter(claim)).status_code == 404
    claim.refresh_from_db()
    assert claim.state == ClaimState.REJECTED


def test_claims_queue_and_review_page_link_the_letter_and_the_lookup(
    client, claim, reviewer
) -> None:
    login_verified(client, reviewer)
    queue = client.get(reverse("enterprises_claims")).content.decode()
    assert letter(claim) in queue
    assert f'href="{GSXT}" target="_blank" rel="noopener noreferrer"' in queue
    review = client.get(reverse("enterprises_review:review", args=[claim.enterprise_id]))
    html = review.content.decode()
    assert letter(claim) in html and "我是公司法定代表人。" in html
    assert f'href="{GSXT}" target="_blank" rel="noopener noreferrer"' in html


def test_dashboard_counts_pending_claims_and_profiles(client, claim, reviewer) -> None:
    owner = UserFactory(username="qiye", roles=[roles.ENTERPRISE])
    submitted_enterprise(owner, 911)
    login_verified(client, reviewer)
    home = client.get(reverse("wagtailadmin_home"))
    context = ReviewQueuePanel().get_context_data({"request": home.wsgi_request})
    assert context["waiting"] == 1 and context["claims"] == 1
    assert context["oldest_claim"] == claim.created_at
    html = home.content.decode()
    assert "1 项已导入企业的认领待处理" in html
    assert reverse("enterprises_claims") in html


def test_queue_and_browse_link_each_code_to_the_lookup(client, reviewer) -> None:
    owner = UserFactory(username="qiye", roles=[roles.ENTERPRISE])
    enterprise = submitted_enterprise(owner, 912)
    login_verified(client, reviewer)
    for name in ("enterprises_review:queue", "enterprises_review:browse"):
        html = client.get(reverse(name)).content.decode()
        assert enterprise.uscc in html
        assert f'href="{GSXT}" target="_blank" rel="noopener noreferrer"' in html


def test_review_page_marks_the_added_sentence_alone(client, reviewer) -> None:
    owner = UserFactory(username="qiye", roles=[roles.ENTERPRISE])
    enterprise = submitted_enterprise(owner, 913, description="专注北斗导航终端研发。")
    workflow.approve(reviewer, enterprise)
    changed = {**snapshot(enterprise), "description": "专注北斗导航终端研发。已通过质量体系认证。"}
    workflow.save_draft(owner, enterprise, changed)
    workflow.submit(owner, enterprise)
    login_verified(client, reviewer)
    html = client.get(reverse("enterprises_review:review", args=[enterprise.pk])).content.decode()
    changes = html.split('id="changes-heading"')[1].split("</table>")[0]
    assert "<ins>已通过质量体系认证。</ins>" in changes
    assert "<del>" not in changes


def test_reviewer_opens_scans_only_of_what_they_act_on(client, reviewer, private_media) -> None:
    owner = UserFactory(username="qiye", roles=[roles.ENTERPRISE])
    enterprise = submitted_enterprise(owner, 914)
    workflow.approve(reviewer, enterprise)
    client.force_login(owner)
    response = client.post(
        reverse("enterprises:edit", args=[enterprise.pk, "qualifications"]),
        qualification_post(document=pdf("证书.pdf")),
    )
    assert response.status_code == 302
    draft = reverse("enterprises:draft_document", args=[enterprise.pk, 0])
    login_verified(client, reviewer)
    # A working copy nobody submitted is not the reviewer's.
    assert client.get(draft).status_code == 404
    workflow.submit(owner, enterprise)
    page = client.get(reverse("enterprises_review:review", args=[enterprise.pk])).content.decode()
    assert draft in page
    response = client.get(draft)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert AccessLog.objects.filter(
        user=reviewer, action="classification.document.downloaded", object_id=enterprise.pk
    ).exists()
