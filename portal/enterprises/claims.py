"""Claiming an imported profile: an enterprise user asks, a reviewer confirms or rejects.

Like ``workflow``, each step is one function that checks who may do it, changes the rows in
one transaction and queues the claimant's e-mail after commit; views and the admin only call
these. A confirmed claim adds the claimant to the profile's owners, from when on the profile
follows the normal review workflow.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classification import policy
from portal.accounts.roles import ENTERPRISE, role_names
from portal.core.mail import send_templated

from .models import ClaimState, Enterprise, EnterpriseClaim, Status
from .reference.aliases import load_region_codes
from .uscc import validate_uscc
from .workflow import require_reviewer


class ClaimError(ValidationError):
    """A claim that cannot be made or decided; the message says why."""


def may_claim(user) -> bool:
    """Verified users with the enterprise role: the people who run a company's profile."""
    return (
        user.is_authenticated
        and getattr(user, "email_verified", False)
        and ENTERPRISE in role_names(user)
    )


def find_claimable(uscc: str, user) -> Enterprise:
    """The approved, owner-less profile with this credit code that ``user`` may see, or
    ``ClaimError`` saying why not (a profile they may not see is "not listed" for them)."""
    code = validate_uscc(uscc, known_area_codes=load_region_codes())
    enterprise = policy.visible(Enterprise.objects.filter(uscc=code), user).first()
    if enterprise is None or enterprise.status != Status.APPROVED:
        raise ClaimError(
            _(
                "No listed enterprise has this credit code. If your enterprise is not listed, "
                "register it instead."
            ),
            code="not_found",
        )
    if enterprise.owners.exists():
        raise ClaimError(
            _(
                "This profile is already maintained by users of the enterprise; ask them to "
                "add you."
            ),
            code="owned",
        )
    return enterprise


@transaction.atomic
def submit_claim(user, uscc: str, message: str = "", document=None) -> EnterpriseClaim:
    if not may_claim(user):
        raise PermissionDenied(_("Only verified enterprise users may claim a profile."))
    enterprise = find_claimable(uscc, user)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if EnterpriseClaim.objects.filter(
        enterprise=enterprise, claimant=user, state=ClaimState.PENDING
    ).exists():
        raise ClaimError(
            _("You have already claimed this profile; a reviewer will decide soon."),
            code="duplicate",
        )
    claim = EnterpriseClaim(enterprise=enterprise, claimant=user, message=message.strip())
    if document is not None:
        claim.document = document
    claim.save()
    return claim


def _pending(claim: EnterpriseClaim) -> EnterpriseClaim:
    claim = EnterpriseClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.state != ClaimState.PENDING:
        raise ClaimError(_("This claim has already been decided."), code="decided")
    return claim


def _close(claim: EnterpriseClaim, reviewer, state: str, reason: str = "") -> None:
    claim.state = state
    claim.decided_by = reviewer
    claim.decided_at = timezone.now()
    claim.reason = reason
    claim.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    if state != ClaimState.WITHDRAWN:
        _notify(claim)


@transaction.atomic
def confirm(reviewer, claim: EnterpriseClaim) -> EnterpriseClaim:
    """Make the claimant an owner; other pending claims on the profile are rejected."""
    require_reviewer(reviewer)
    claim = _pending(claim)
    enterprise = Enterprise.objects.select_for_update().get(pk=claim.enterprise_id)
    if enterprise.owners.exists():
        raise ClaimError(_("This profile already has owners."), code="owned")
    enterprise.add_owners(claim.claimant)
    _close(claim, reviewer, ClaimState.CONFIRMED)
    others = EnterpriseClaim.objects.select_for_update().filter(
        enterprise=enterprise, state=ClaimState.PENDING
    )
    for other in others:
        _close(
            other,
            reviewer,
            ClaimState.REJECTED,
            str(_("Another user's claim of this profile was confirmed; ask them to add you.")),
        )
    return claim


@transaction.atomic
def reject(reviewer, claim: EnterpriseClaim, reason: str) -> EnterpriseClaim:
    require_reviewer(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise ClaimError(_("Please give the reasons, so that the claimant knows what to do."))
    claim = _pending(claim)
    _close(claim, reviewer, ClaimState.REJECTED, reason)
    return claim


@transaction.atomic
def withdraw(user, claim: EnterpriseClaim) -> EnterpriseClaim:
    if claim.claimant_id != user.pk:
        raise PermissionDenied(_("Only the claimant may withdraw a claim."))
    claim = _pending(claim)
    _close(claim, None, ClaimState.WITHDRAWN)
    return claim


def _notify(claim: EnterpriseClaim) -> None:
    if not claim.claimant.email:
        return
    send_templated(
        "enterprise_claim_decision",
        [claim.claimant.email],
        {
            "claim": claim,
            "enterprise": claim.enterprise,
            "confirmed": claim.state == ClaimState.CONFIRMED,
            "reason": claim.reason,
            "dashboard_url": settings.SITE_URL + reverse("enterprises:dashboard"),
        },
    )
