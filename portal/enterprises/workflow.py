"""The review workflow of a profile: draft → submitted → approved | returned → revoked.

Every transition is one function here that checks who may do it, writes the version and the
profile in one transaction and queues the owners' e-mail after commit. Views, the admin, the
API and tests call these functions; none changes ``status`` by itself.

An approved profile stays approved (and visible) while its owner edits a new version; only the
reviewer's approval copies that version to the live rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import REVIEWER, role_names
from portal.core.mail import send_templated
from search import indexing

from .models import Enterprise, EnterpriseVersion, Status, VersionState
from .snapshots import apply_snapshot, empty_snapshot, snapshot


class WorkflowError(ValidationError):
    """A transition that is not possible from the current state; the message says why."""


def is_owner(user, enterprise: Enterprise) -> bool:
    return user.is_authenticated and enterprise.owners.filter(pk=user.pk).exists()


def is_reviewer(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser
        or REVIEWER in role_names(user)
        or user.has_perm("enterprises.review_enterprise")
    )


def _require_owner(user, enterprise: Enterprise) -> None:
    if not is_owner(user, enterprise):
        raise PermissionDenied(_("Only the profile's owners may do this."))


def require_reviewer(user) -> None:
    """Refuse anyone who may not review profiles; claims decide through the same check."""
    if not is_reviewer(user):
        raise PermissionDenied(_("Only reviewers may do this."))


def open_version(enterprise: Enterprise) -> EnterpriseVersion | None:
    """The working copy (draft) or the version waiting for review (submitted), if any."""
    return enterprise.versions.filter(
        state__in=[VersionState.DRAFT, VersionState.SUBMITTED]
    ).first()


def last_approved_version(enterprise: Enterprise) -> EnterpriseVersion | None:
    return enterprise.versions.filter(state=VersionState.APPROVED).first()


def _next_number(enterprise: Enterprise) -> int:
    return (enterprise.versions.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def create_enterprise(user, *, uscc: str, name: str, region: str) -> Enterprise:
    """The wizard's first save: a draft profile owned by ``user`` and its working copy."""
    enterprise = Enterprise(uscc=uscc, name=name, region_id=region, status=Status.DRAFT)
    enterprise.full_clean(exclude=["group", "industries"])
    enterprise.save()
    enterprise.add_owners(user)
    EnterpriseVersion.objects.create(
        enterprise=enterprise,
        number=1,
        data=empty_snapshot(uscc=uscc, name=name, region=region),
        created_by=user,
    )
    return enterprise


@transaction.atomic
def working_copy(user, enterprise: Enterprise) -> EnterpriseVersion:
    """The owner's draft, created from the latest content when there is none.

    After a return the new draft starts from the returned version, so the owner fixes what the
    reviewer pointed at instead of starting again.
    """
    _require_owner(user, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    current = open_version(enterprise)
    if current is not None:
        if current.state == VersionState.SUBMITTED:
            raise WorkflowError(_("This profile is under review; it can be edited afterwards."))
        return current
    latest = enterprise.versions.first()
    if latest is not None and latest.state == VersionState.RETURNED:
        data = latest.data
    else:
        data = snapshot(enterprise)
    return EnterpriseVersion.objects.create(
        enterprise=enterprise, number=_next_number(enterprise), data=data, created_by=user
    )


@transaction.atomic
def save_draft(user, enterprise: Enterprise, data: dict[str, Any]) -> EnterpriseVersion:
    """Store the owner's edits in the working copy; the live profile does not change."""
    version = working_copy(user, enterprise)
    version.data = {**version.data, **data}
    version.save(update_fields=["data"])
    return version


def missing_for_submission(data: dict[str, Any]) -> list[str]:
    """What a profile still lacks before review, as messages for the owner."""
    missing = []
    for name, label in (
        ("name", _("company name")),
        ("region", _("region")),
        ("description", _("company profile")),
    ):
        if not data.get(name):
            missing.append(str(label))
    if not data.get("industries"):
        missing.append(str(_("at least one industry")))
    if not data.get("contacts"):
        missing.append(str(_("at least one contact")))
    return missing


@transaction.atomic
def submit(user, enterprise: Enterprise) -> EnterpriseVersion:
    """Owner hands the working copy to the reviewers."""
    _require_owner(user, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    version = open_version(enterprise)
    if version is None or version.state != VersionState.DRAFT:
        raise WorkflowError(_("There are no changes to submit."))
    missing = missing_for_submission(version.data)
    if missing:
        raise WorkflowError(
            _("Please complete the profile before submitting: %(missing)s.")
            % {"missing": "、".join(missing)}
        )
    version.state = VersionState.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["state", "submitted_at"])
    if enterprise.status != Status.APPROVED:
        enterprise.status = Status.SUBMITTED
        enterprise.save(update_fields=["status", "updated_at"])
    return version


@transaction.atomic
def propose(agent, data: dict[str, Any]) -> EnterpriseVersion:
    """An outside source (an agency's push) proposes a whole profile for review.

    Nothing goes live: a new USCC becomes a profile waiting for review, without owners; a known
    one gets a submitted version beside its live content. A profile whose owner is editing it
    or that is already under review refuses the proposal (``WorkflowError``), so that nobody's
    work is overwritten; the agency sends it again later.
    """
    enterprise = Enterprise.objects.select_for_update().filter(uscc=data["uscc"]).first()
    if enterprise is None:
        enterprise = Enterprise(
            uscc=data["uscc"], name=data["name"], region_id=data["region"], status=Status.SUBMITTED
        )
        enterprise.full_clean(exclude=["group", "industries"])
        enterprise.save()
    elif open_version(enterprise) is not None:
        raise WorkflowError(
            _("This profile is being edited or is under review; send it again afterwards.")
        )
    version = EnterpriseVersion.objects.create(
        enterprise=enterprise,
        number=_next_number(enterprise),
        data=data,
        created_by=agent,
        state=VersionState.SUBMITTED,
        submitted_at=timezone.now(),
    )
    return version


def _submitted_version(enterprise: Enterprise) -> EnterpriseVersion:
    version = open_version(enterprise)
    if version is None or version.state != VersionState.SUBMITTED:
        raise WorkflowError(_("This profile has no version waiting for review."))
    return version


def _decide(version: EnterpriseVersion, reviewer, state: str, reason: str = "") -> None:
    version.state = state
    version.decided_by = reviewer
    version.decided_at = timezone.now()
    version.reason = reason
    version.save(update_fields=["state", "decided_by", "decided_at", "reason"])


@transaction.atomic
def approve(reviewer, enterprise: Enterprise) -> EnterpriseVersion:
    """Reviewer approves the submitted version: its content becomes the live profile."""
    require_reviewer(reviewer)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    version = _submitted_version(enterprise)
    # The profile, its industries and every list item change: one outbox row for them all.
    with indexing.held():
        apply_snapshot(enterprise, version.data)
        _decide(version, reviewer, VersionState.APPROVED)
        enterprise.status = Status.APPROVED
        enterprise.approved_at = enterprise.confirmed_at = timezone.now()
        enterprise.save(update_fields=["status", "approved_at", "confirmed_at", "updated_at"])
    _notify(enterprise, "approved", version)
    return version


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Please give the reasons, so that the owner knows what to fix."))
    return reason


@transaction.atomic
def return_for_changes(reviewer, enterprise: Enterprise, reason: str) -> EnterpriseVersion:
    """Reviewer sends the submitted version back with reasons; an approved profile stays live."""
    require_reviewer(reviewer)
    reason = _require_reason(reason)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    version = _submitted_version(enterprise)
    _decide(version, reviewer, VersionState.RETURNED, reason)
    if enterprise.status != Status.APPROVED:
        enterprise.status = Status.RETURNED
        enterprise.save(update_fields=["status", "updated_at"])
    _notify(enterprise, "returned", version)
    return version


@transaction.atomic
def revoke(reviewer, enterprise: Enterprise, reason: str) -> None:
    """Reviewer withdraws the approval: the profile leaves the directory at once."""
    require_reviewer(reviewer)
    reason = _require_reason(reason)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.status != Status.APPROVED:
        raise WorkflowError(_("Only an approved profile can be revoked."))
    enterprise.status = Status.REVOKED
    enterprise.save(update_fields=["status", "updated_at"])
    version = last_approved_version(enterprise)
    _notify(enterprise, "revoked", version, reason=reason)


def _notify(enterprise: Enterprise, decision: str, version, reason: str = "") -> None:
    """Tell the owners about a reviewer's decision (one message, Chinese, after commit)."""
    recipients = [owner.email for owner in enterprise.owners.all() if owner.email]
    if not recipients:
        return
    send_templated(
        "enterprise_decision",
        recipients,
        {
            "decision": decision,
            "enterprise": enterprise,
            "version": version,
            "reason": reason or (version.reason if version else ""),
            "dashboard_url": settings.SITE_URL + reverse("enterprises:dashboard"),
        },
    )
