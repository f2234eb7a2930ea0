"""Redaction: fields above the reader's clearance are dropped and listed; grants lift it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from classification import changes, policy
from classification.redaction import redact, redacted_fields
from classification.tiers import Tier
from portal.accounts import roles
from portal.accounts.models import User

from .conftest import make_enterprise, make_user

pytestmark = pytest.mark.django_db

DATA = {
    "name": "某公司",
    "legal_representative": "张三",
    "contacts": [{"name": "李四", "phone": "0771-1234567"}],
    "qualification_documents": ["/documents/1/"],
}


def test_public_item_fields_by_clearance() -> None:
    item = make_enterprise("公开", tier=Tier.PUBLIC)
    anonymous = redact(item, AnonymousUser(), DATA)
    assert anonymous == {
        "name": "某公司",
        "redacted": ["contacts", "legal_representative", "qualification_documents"],
    }
    registered = redact(item, make_user("reg"), DATA)
    assert registered["redacted"] == ["contacts", "qualification_documents"]
    assert registered["legal_representative"] == "张三"
    procurement = redact(item, make_user("proc", roles.PROCUREMENT), DATA)
    assert procurement["redacted"] == []
    assert procurement["contacts"] == DATA["contacts"]
    assert "redacted" not in DATA  # the input is not changed


def test_field_tier_is_never_below_the_item_tier() -> None:
    item = make_enterprise("认证", tier=Tier.VETTED, field_tiers={"legal_representative": "public"})
    assert policy.field_tier(item, "legal_representative") == Tier.VETTED
    assert policy.field_tier(item, "name") == Tier.VETTED


def test_per_item_override_raises_a_field_to_targeted_and_a_grant_reads_it() -> None:
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    item = make_enterprise("公开", tier=Tier.PUBLIC)
    changes.set_tier(officer, item, Tier.PUBLIC, {"contacts": Tier.TARGETED})
    procurement = make_user("proc", roles.PROCUREMENT)
    assert redact(item, procurement, DATA)["redacted"] == ["contacts"]
    assert redacted_fields(item, procurement, ["name", "contacts"]) == ["contacts"]
    row = changes.grant(officer, item, procurement, timezone.now() + timedelta(days=2))
    procurement = User.objects.get(pk=procurement.pk)
    assert redact(item, procurement, DATA)["redacted"] == []
    type(row).objects.filter(pk=row.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    procurement = User.objects.get(pk=procurement.pk)
    assert redact(item, procurement, DATA)["redacted"] == ["contacts"]
    assert redact(item, officer, DATA)["redacted"] == []


def test_owners_and_acting_reviewers_read_every_field_of_their_items() -> None:
    from portal.enterprises.models import EnterpriseVersion, VersionState

    owner = make_user("owner", roles.ENTERPRISE)
    item = make_enterprise("自己", tier=Tier.PUBLIC, owners=(owner,))
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    changes.set_tier(officer, item, Tier.PUBLIC, {"contacts": Tier.TARGETED})
    assert redact(item, owner, DATA)["redacted"] == []
    reviewer = make_user("rev", roles.REVIEWER)
    assert redact(item, reviewer, DATA)["redacted"] == ["contacts"]  # nothing to review
    EnterpriseVersion.objects.create(
        enterprise=item, number=2, data={}, state=VersionState.SUBMITTED, created_by=owner
    )
    reviewer = User.objects.get(pk=reviewer.pk)
    assert redact(item, reviewer, DATA)["redacted"] == []  # a change waits for their review
    assert redact(item, make_user("other"), DATA)["redacted"] == [
        "contacts",
        "qualification_documents",
    ]


def test_set_tier_validates_and_logs() -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from classification.models import AccessLog

    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    item = make_enterprise("公开")
    with pytest.raises(ValidationError):
        changes.set_tier(officer, item, "secret")
    with pytest.raises(ValidationError):
        changes.set_tier(officer, item, Tier.VETTED, {"no_such_field": Tier.VETTED})
    with pytest.raises(PermissionDenied):
        changes.set_tier(make_user("proc", roles.PROCUREMENT), item, Tier.VETTED)
    item.refresh_from_db()
    assert item.tier == Tier.PUBLIC and not AccessLog.objects.exists()
    # Default-equal field tiers are not stored, so that a later default change reaches them.
    changes.set_tier(officer, item, Tier.VETTED, {"contacts": Tier.VETTED, "website": "targeted"})
    item.refresh_from_db()
    assert item.tier == Tier.VETTED and item.field_tiers == {"website": "targeted"}
    entry = AccessLog.objects.get()
    assert entry.action == "classification.tier.changed" and entry.user == officer
    assert entry.detail["from"]["tier"] == "public" and entry.detail["to"]["tier"] == "vetted"
