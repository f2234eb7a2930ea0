"""Scanned certificates: who may download them, from private storage, with an audit entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from classification.models import AccessLog
from portal.enterprises import workflow
from portal.enterprises.models import Enterprise
from tests.factories import login_verified

from .view_helpers import (
    ENTERPRISE,
    REVIEWER,
    approved_enterprise,
    make_user,
    pdf,
    qualification_post,
    use_private_media,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_media(settings, tmp_path):
    yield from use_private_media(settings, tmp_path)


@pytest.fixture
def owner(django_user_model):
    return make_user(django_user_model, "owner", role=ENTERPRISE)


@pytest.fixture
def reviewer(django_user_model):
    return make_user(django_user_model, "reviewer", role=REVIEWER)


@pytest.fixture
def with_document(client, owner, reviewer, private_media) -> Enterprise:
    """An approved profile whose qualification scan was uploaded through the wizard."""
    enterprise = approved_enterprise(owner, reviewer)
    client.force_login(owner)
    response = client.post(
        reverse("enterprises:edit", args=[enterprise.pk, "qualifications"]),
        qualification_post(document=pdf("证书.pdf")),
    )
    assert response.status_code == 302
    workflow.submit(owner, enterprise)
    workflow.approve(reviewer, enterprise)
    client.logout()
    return enterprise


def _url(enterprise: Enterprise) -> str:
    qualification = enterprise.qualifications.get()
    return reverse("enterprises:qualification_document", args=[enterprise.pk, qualification.pk])


def test_vetted_reader_downloads_and_is_audited(client, with_document, django_user_model) -> None:
    buyer = make_user(django_user_model, "buyer", role="procurement")
    client.force_login(buyer)
    response = client.get(_url(with_document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # A PDF opens in the browser, beside the page that links it.
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(
        user=buyer, action="classification.document.downloaded", object_id=with_document.pk
    ).exists()
    profile = client.get(reverse("enterprises:profile", args=[with_document.pk]))
    assert _url(with_document) in profile.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "registered"])
def test_readers_below_vetted_get_404(client, with_document, django_user_model, who) -> None:
    if who == "registered":
        client.force_login(make_user(django_user_model, "registered"))
    assert client.get(_url(with_document)).status_code == 404
    profile = client.get(reverse("enterprises:profile", args=[with_document.pk]))
    assert _url(with_document) not in profile.content.decode()
    assert "qualification_documents" in profile.context["profile"]["redacted"]
    assert not AccessLog.objects.filter(action="classification.document.downloaded").exists()


def test_owner_and_reviewer_may_download(client, with_document, owner, reviewer) -> None:
    for user in (owner, reviewer):
        login_verified(client, user)
        assert client.get(_url(with_document)).status_code == 200


def test_unknown_or_foreign_qualification_is_404(client, with_document, owner, reviewer) -> None:
    other = approved_enterprise(owner, reviewer, n=2)
    qualification = with_document.qualifications.get()
    client.force_login(owner)
    foreign = reverse("enterprises:qualification_document", args=[other.pk, qualification.pk])
    assert client.get(foreign).status_code == 404
    missing = reverse("enterprises:qualification_document", args=[with_document.pk, 999999])
    assert client.get(missing).status_code == 404


def test_draft_document_for_owner_and_acting_reviewer_only(
    client, owner, reviewer, django_user_model, private_media
) -> None:
    enterprise = approved_enterprise(owner, reviewer)
    client.force_login(owner)
    client.post(
        reverse("enterprises:edit", args=[enterprise.pk, "qualifications"]),
        qualification_post(document=pdf()),
    )
    url = reverse("enterprises:draft_document", args=[enterprise.pk, 0])
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("enterprises:draft_document", args=[enterprise.pk, 5])).status_code
        == 404
    )
    # A reviewer reads a draft's scans once it waits for their review, not before.
    login_verified(client, reviewer)
    assert client.get(url).status_code == 404
    workflow.submit(owner, enterprise)
    assert client.get(url).status_code == 200
    client.force_login(make_user(django_user_model, "buyer", role="procurement"))
    assert client.get(url).status_code == 404
