"""The owner's dashboard: state, reviewer's reasons, edit/submit actions per profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.enterprises import workflow

from .view_helpers import ENTERPRISE, REVIEWER, approved_enterprise, full_snapshot, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(django_user_model):
    return make_user(django_user_model, "owner", role=ENTERPRISE)


@pytest.fixture
def reviewer(django_user_model):
    return make_user(django_user_model, "reviewer", role=REVIEWER)


def _draft(owner, n: int = 1, **overrides):
    data = full_snapshot(n, **overrides)
    enterprise = workflow.create_enterprise(
        owner, uscc=data["uscc"], name=data["name"], region=data["region"]
    )
    workflow.save_draft(owner, enterprise, data)
    return enterprise


def _page(client, owner) -> str:
    client.force_login(owner)
    response = client.get(reverse("enterprises:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_empty_state_invites_registration(client, owner) -> None:
    body = _page(client, owner)
    assert "empty-state" in body and reverse("enterprises:register") in body


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(reverse("enterprises:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_draft_offers_edit_and_submit(client, owner) -> None:
    enterprise = _draft(owner)
    body = _page(client, owner)
    assert reverse("enterprises:edit", args=[enterprise.pk, "basics"]) in body
    assert reverse("enterprises:submit", args=[enterprise.pk]) in body


def test_submitted_profile_is_pending_without_actions(client, owner) -> None:
    enterprise = _draft(owner)
    workflow.submit(owner, enterprise)
    body = _page(client, owner)
    assert reverse("enterprises:submit", args=[enterprise.pk]) not in body
    assert reverse("enterprises:edit", args=[enterprise.pk, "basics"]) not in body
    row = client.get(reverse("enterprises:dashboard")).context["rows"][0]
    assert row.under_review and not row.has_draft


def test_returned_profile_shows_the_reasons_and_can_be_edited(client, owner, reviewer) -> None:
    enterprise = _draft(owner)
    workflow.submit(owner, enterprise)
    workflow.return_for_changes(reviewer, enterprise, "请补充<保密资格>证书扫描件")
    body = _page(client, owner)
    assert "请补充&lt;保密资格&gt;证书扫描件" in body
    assert reverse("enterprises:edit", args=[enterprise.pk, "basics"]) in body
    # The reasons stay visible while the owner fixes the profile in a new draft.
    workflow.save_draft(owner, enterprise, {"description": "已补充"})
    assert "请补充&lt;保密资格&gt;证书扫描件" in _page(client, owner)


def test_approved_profile_explains_that_changes_need_review(client, owner, reviewer) -> None:
    enterprise = approved_enterprise(owner, reviewer)
    client.force_login(owner)
    rows = client.get(reverse("enterprises:dashboard")).context["rows"]
    assert rows[0].is_approved and not rows[0].has_draft and rows[0].return_reason == ""
    body = _page(client, owner)
    assert reverse("enterprises:profile", args=[enterprise.pk]) in body
    assert reverse("enterprises:submit", args=[enterprise.pk]) not in body
    assert 'class="help approved-note"' in body
    # Editing an approved profile: the live row does not change until approval.
    client.post(
        reverse("enterprises:edit", args=[enterprise.pk, "contacts"]),
        {
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
            "contacts-0-name": "王芳",
            "contacts-0-phone": "0771-5550000",
        },
    )
    assert list(enterprise.contacts.values_list("name", flat=True)) == ["李明"]
    assert reverse("enterprises:submit", args=[enterprise.pk]) in _page(client, owner)


def test_only_own_profiles_are_listed(client, owner, django_user_model) -> None:
    _draft(owner)
    other = make_user(django_user_model, "other", role=ENTERPRISE)
    assert "empty-state" in _page(client, other)
