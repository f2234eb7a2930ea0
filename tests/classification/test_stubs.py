"""Stubs in the policy: the ``body`` field tier of a classifiable model with a stub, the SQL
filter of readable bodies (``body_readable``) agreeing with the per-item answer (``stub_only``)
for every kind of reader and every body tier, and the one writer guarding it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from classification import changes, policy
from classification.tiers import ORDER, Tier, rank
from portal.accounts import roles
from portal.enterprises.models import Enterprise
from portal.notices.models import NoticeIndexPage, NoticePage

from .conftest import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def _notice(author, n: int, tier: str) -> NoticePage:
    notice = NoticePage(
        title=f"分级正文通知{n}",
        slug=f"stub-policy-{n}",
        tier=tier,
        kind="demand",
        summary="正文摘要。",
        deadline=timezone.now() + timedelta(days=10),
        owner=author,
        live=False,
    )
    NoticeIndexPage.objects.get(slug="notices").add_child(instance=notice)
    notice.save_revision(user=author).publish()
    notice.refresh_from_db()
    return notice


@pytest.fixture
def readers() -> dict:
    vetted = make_user("stub-vetted")
    make_enterprise("分级企业", owners=(vetted,))
    return {
        "anonymous": AnonymousUser(),
        "unverified": make_user("stub-unverified", verified=False),
        "registered": make_user("stub-registered"),
        "vetted": vetted,
        "procurement": make_user("stub-buyer", roles.PROCUREMENT),
        "grantee": make_user("stub-grantee"),
        "author": make_user("stub-author", roles.PROCUREMENT),
        "officer": make_user("stub-officer", roles.CLASSIFICATION_OFFICER),
    }


def test_body_readable_agrees_with_stub_only_for_every_reader_and_body_tier(readers) -> None:
    officer, author = readers["officer"], readers["author"]
    notices = []
    for n, (tier, body) in enumerate(
        (tier, body) for tier in ORDER for body in ORDER if rank(body) >= rank(tier)
    ):
        notice = _notice(author, n, tier)
        changes.set_tier(officer, notice, tier, {"body": body})
        changes.grant(officer, notice, readers["grantee"])
        notices.append(notice)
    ids = [notice.pk for notice in notices]
    for name, user in readers.items():
        policy.forget(user)
        seen = policy.visible(NoticePage.objects.filter(pk__in=ids), user)
        condition = policy.body_readable(NoticePage, user)
        in_sql = set(
            seen.filter(condition).values_list("pk", flat=True)
            if condition
            else seen.values_list("pk", flat=True)
        )
        for notice in seen:
            expected = not policy.stub_only(user, notice)
            assert (notice.pk in in_sql) == expected, (name, notice.tier, notice.field_tiers)
    # Spot checks against docs/release.md, "Stubs".
    public_vetted = next(
        n for n in notices if n.tier == Tier.PUBLIC and n.field_tiers == {"body": Tier.VETTED}
    )
    assert policy.stub_only(readers["anonymous"], public_vetted)
    assert policy.stub_only(readers["registered"], public_vetted)
    assert not policy.stub_only(readers["vetted"], public_vetted)
    assert not policy.stub_only(readers["grantee"], public_vetted)
    assert not policy.stub_only(author, public_vetted)


def test_a_model_without_a_stub_has_no_body_tier() -> None:
    enterprise = make_enterprise("无存根企业")
    assert "body" not in policy.declaration(Enterprise).sensitive_names()
    assert policy.body_readable(Enterprise, AnonymousUser()) is None
    assert not policy.stub_only(AnonymousUser(), enterprise)


def test_the_writer_keeps_body_tiers_above_the_item(readers) -> None:
    officer = readers["officer"]
    notice = _notice(readers["author"], 99, Tier.REGISTERED)
    with pytest.raises(ValidationError):
        changes.set_tier(officer, notice, Tier.REGISTERED, {"body": Tier.PUBLIC})
    changes.set_tier(officer, notice, Tier.REGISTERED, {"body": Tier.REGISTERED})
    assert notice.field_tiers == {}
    changes.set_tier(officer, notice, Tier.REGISTERED, {"body": Tier.TARGETED})
    assert notice.field_tiers == {"body": Tier.TARGETED}
    # The stub stays at the notice's tier; everything else follows the body.
    assert policy.field_tier(notice, "title") == Tier.REGISTERED
    assert policy.field_tier(notice, "summary") == Tier.TARGETED
    assert policy.field_tier(notice, "contact") == Tier.TARGETED
    with pytest.raises(PermissionDenied):
        changes.set_tier(readers["registered"], notice, Tier.PUBLIC, {"body": Tier.VETTED})
