"""The reviewer's tools in a real browser: a reviewer opens a pending claim's letter of
authorisation (it opens inline in a new tab, as a PDF), then reads a submitted change on the
review page, where only the added sentence is highlighted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts import roles
from portal.enterprises import claims, workflow
from portal.enterprises.snapshots import snapshot
from tests.browser.conftest import pass_second_step
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory, submitted_enterprise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADDED = "已通过武器装备质量管理体系认证。"
LETTER = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: Set PORTAL_SCREENSHOTS=/some/dir to keep the pages this test sees, for a look.
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"reviewer-{name}.png"), full_page=True)


def _changed_profile(reviewer):
    """An approved profile whose owners submitted one added sentence in its description."""
    owner = UserFactory(username="r-owner", roles=[roles.ENTERPRISE])
    enterprise = submitted_enterprise(owner, 921, description="专注北斗导航终端研发与生产。")
    workflow.approve(reviewer, enterprise)
    data = snapshot(enterprise)
    data["description"] = "专注北斗导航终端研发与生产。" + ADDED
    workflow.save_draft(owner, enterprise, data)
    workflow.submit(owner, enterprise)
    return enterprise


def _pending_claim():
    imported = EnterpriseFactory(name="桂林石墨烯材料有限公司")
    claimant = UserFactory(username="r-claimant", roles=[roles.ENTERPRISE])
    letter = SimpleUploadedFile("授权委托书.pdf", LETTER, content_type="application/pdf")
    return claims.submit_claim(claimant, imported.uscc, "本人为公司办公室主任。", document=letter)


def test_reviewer_opens_a_claim_letter_and_reads_a_character_diff(
    live_server, page, settings, tmp_path
) -> None:
    base = live_server.url
    reviewer = UserFactory(username="r-reviewer", roles=[roles.REVIEWER])
    enterprise = _changed_profile(reviewer)
    claim = _pending_claim()

    page.goto(base + "/admin/login/?next=/admin/enterprises/claims/")
    page.locator("input[name=username]").fill("r-reviewer")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    pass_second_step(page, "r-reviewer")
    assert "/admin/enterprises/claims/" in page.url, page.url

    _shot(page, "claims")
    link = page.locator("a.claim-letter")
    assert link.get_attribute("target") == "_blank"
    lookup = page.locator("a.uscc-lookup").first
    assert lookup.get_attribute("href") == "https://www.gsxt.gov.cn/index.html"
    assert lookup.get_attribute("rel") == "noopener noreferrer"
    # The letter opens in the browser (inline), in the reviewer's session.
    letter = page.context.request.get(base + link.get_attribute("href"))
    assert letter.status == 200
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.headers["content-disposition"].startswith("inline;")
    assert letter.body().startswith(b"%PDF-")
    with page.context.expect_page() as opened:
        link.click()
    assert opened.value.url.endswith(f"/enterprises/claim/{claim.pk}/letter/")
    opened.value.close()

    page.goto(f"{base}/admin/enterprises/review/{enterprise.pk}/")
    changes = page.locator("table.review-diff")
    inserted = changes.locator("ins")
    assert inserted.count() == 1 and inserted.inner_text() == ADDED
    assert changes.locator("del").count() == 0
    background = inserted.evaluate("node => getComputedStyle(node).backgroundColor")
    assert background == "rgb(220, 245, 227)"
    changes.scroll_into_view_if_needed()
    _shot(page, "diff")
