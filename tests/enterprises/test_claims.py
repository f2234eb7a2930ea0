"""Claims: an enterprise user claims an imported profile, a reviewer confirms or rejects."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.accounts import roles
from portal.enterprises import claims
from portal.enterprises.importing import run_import
from portal.enterprises.models import ClaimState, Enterprise
from portal.enterprises.workflow import is_owner

from .importing_helpers import row, uscc, write_csv


@pytest.fixture
def imported(tmp_path):
    path = write_csv(tmp_path / "list.csv", [row(1), row(2)])
    with path.open("rb") as handle:
        run_import(handle, path.name, dry_run=False)
    return Enterprise.objects.get(uscc=uscc(1))


def _user(django_user_model, name: str, role: str | None = roles.ENTERPRISE):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw-123456789")
    user.email_verified_at = timezone.now()
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_confirm_makes_the_claimant_an_owner_and_mails_them(imported, django_user_model) -> None:
    claimant = _user(django_user_model, "claimant")
    reviewer = _user(django_user_model, "reviewer", roles.REVIEWER)
    other = _user(django_user_model, "other")
    claim = claims.submit_claim(claimant, f" {uscc(1).lower()} ", "我是市场部经理")
    rival = claims.submit_claim(other, uscc(1))
    claims.confirm(reviewer, claim)
    claim.refresh_from_db()
    rival.refresh_from_db()
    assert claim.state == ClaimState.CONFIRMED and claim.decided_by == reviewer
    assert rival.state == ClaimState.REJECTED
    assert is_owner(claimant, imported) and not is_owner(other, imported)
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == ["claimant@example.com", "other@example.com"]
    confirmed = next(m for m in mail.outbox if m.to == ["claimant@example.com"])
    assert imported.name in confirmed.subject
    with pytest.raises(claims.ClaimError):
        claims.submit_claim(_user(django_user_model, "late"), uscc(1))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reject_needs_a_reason_and_mails_it(imported, django_user_model) -> None:
    claimant = _user(django_user_model, "claimant")
    reviewer = _user(django_user_model, "reviewer", roles.REVIEWER)
    claim = claims.submit_claim(claimant, uscc(1))
    with pytest.raises(claims.ClaimError):
        claims.reject(reviewer, claim, "  ")
    claims.reject(reviewer, claim, "授权委托书未盖公章")
    assert not imported.owners.exists()
    assert len(mail.outbox) == 1 and "授权委托书未盖公章" in mail.outbox[0].body
    with pytest.raises(claims.ClaimError):
        claims.confirm(reviewer, claim)


@pytest.mark.django_db
def test_who_may_claim_and_decide(imported, django_user_model) -> None:
    procurement = _user(django_user_model, "buyer", roles.PROCUREMENT)
    with pytest.raises(PermissionDenied):
        claims.submit_claim(procurement, uscc(1))
    unverified = _user(django_user_model, "new")
    unverified.email_verified_at = None
    unverified.save()
    with pytest.raises(PermissionDenied):
        claims.submit_claim(unverified, uscc(1))
    claimant = _user(django_user_model, "claimant")
    claim = claims.submit_claim(claimant, uscc(1))
    with pytest.raises(PermissionDenied):
        claims.confirm(claimant, claim)
    with pytest.raises(PermissionDenied):
        claims.withdraw(procurement, claim)
    with pytest.raises(claims.ClaimError):
        claims.submit_claim(claimant, uscc(1))  # already pending
    claims.withdraw(claimant, claim)
    claim.refresh_from_db()
    assert claim.state == ClaimState.WITHDRAWN


@pytest.mark.django_db
def test_only_approved_ownerless_profiles_can_be_claimed(imported, django_user_model) -> None:
    claimant = _user(django_user_model, "claimant")
    with pytest.raises(claims.ClaimError) as error:
        claims.submit_claim(claimant, uscc(99))
    assert error.value.code == "not_found"
    Enterprise.objects.filter(uscc=uscc(2)).update(status="revoked")
    with pytest.raises(claims.ClaimError):
        claims.submit_claim(claimant, uscc(2))
    imported.add_owners(_user(django_user_model, "owner"))
    with pytest.raises(claims.ClaimError) as error:
        claims.submit_claim(claimant, uscc(1))
    assert error.value.code == "owned"
    with pytest.raises(Exception, match="18"):
        claims.submit_claim(claimant, "123")
