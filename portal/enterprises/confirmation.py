"""The yearly re-confirmation of profiles (年度信息确认).

A profile is confirmed when a reviewer approves it and when its enterprise confirms it is still
true. Twelve months later it is **due**: its owners get one e-mail per cycle with a signed link
that confirms it in one step (or leads to the wizard to update it). Thirteen months later it
is **overdue**: pages show 待更新, and search and matching rank it below equally relevant
confirmed profiles (the index carries ``confirmed_at``; the query scores it down).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from elasticsearch_dsl import Q as EngineQ

from portal.core.mail import send_templated

from .models import Enterprise

#: Due twelve months after the last confirmation, overdue after thirteen.
DUE_AFTER = timedelta(days=365)
OVERDUE_AFTER = timedelta(days=395)
#: How long a reminder's link works.
LINK_VALID = timedelta(days=90)
#: The score factor of an overdue profile in search and matching: below its confirmed equals,
#: above clearly less relevant profiles.
OVERDUE_WEIGHT = 0.7

_SALT = "enterprises.confirmation"


def state(enterprise: Enterprise, now: datetime | None = None) -> str:
    """ "confirmed", "due" or "overdue" (a profile never confirmed counts from its approval)."""
    confirmed = enterprise.confirmed_at or enterprise.approved_at
    if confirmed is None:
        return "confirmed"
    age = (now or timezone.now()) - confirmed
    if age > OVERDUE_AFTER:
        return "overdue"
    return "due" if age > DUE_AFTER else "confirmed"


def overdue_at(value: str | datetime | None, now: datetime | None = None) -> bool:
    """Whether a confirmation time (an index value or a datetime) is overdue now."""
    if not value:
        return False
    when = parse_datetime(value) if isinstance(value, str) else value
    return when is not None and (now or timezone.now()) - when > OVERDUE_AFTER


def counts(queryset, now: datetime | None = None) -> dict[str, int]:
    """How many of ``queryset``'s approved profiles are confirmed, due and overdue."""
    now = now or timezone.now()
    approved = queryset.filter(Enterprise.classification.released())
    overdue = Q(confirmed_at__lt=now - OVERDUE_AFTER)
    due = Q(confirmed_at__lt=now - DUE_AFTER) & ~overdue
    return {
        "confirmed": approved.exclude(overdue | due).count(),
        "due": approved.filter(due).count(),
        "overdue": approved.filter(overdue).count(),
    }


def ranked(query: EngineQ) -> EngineQ:
    """``query`` with overdue profiles scored down (a factor; relevance order otherwise)."""
    stale = {"range": {"confirmed_at": {"lt": f"now-{OVERDUE_AFTER.days}d"}}}
    return EngineQ(
        "function_score",
        query=query,
        functions=[{"filter": stale, "weight": OVERDUE_WEIGHT}],
        score_mode="multiply",
        boost_mode="multiply",
    )


def confirm(enterprise: Enterprise) -> None:
    """The enterprise says its profile is still true: a new yearly cycle starts."""
    enterprise.confirmed_at = timezone.now()
    enterprise.save(update_fields=["confirmed_at", "updated_at"])


def link_token(enterprise: Enterprise) -> str:
    """A signed token naming the profile and the cycle it was sent for."""
    cycle = (enterprise.confirmed_at or enterprise.approved_at or timezone.now()).date()
    return signing.dumps({"e": enterprise.pk, "c": cycle.isoformat()}, salt=_SALT)


def enterprise_for(token: str) -> Enterprise | None:
    """The approved profile a valid, unexpired token names, or None."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_VALID)
        released = Enterprise.objects.filter(Enterprise.classification.released())
        return released.get(pk=int(data["e"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Enterprise.DoesNotExist):
        return None


def _cycle_start(enterprise: Enterprise) -> datetime:
    return (enterprise.confirmed_at or enterprise.approved_at) + DUE_AFTER


def send_reminders(now: datetime | None = None) -> int:
    """E-mail the owners of every due profile once per cycle; the number of profiles reminded.

    A reminder is claimed by a conditional update before it is sent, so two runs at once (or a
    run retried after a crash) never send one cycle's reminder twice.
    """
    now = now or timezone.now()
    due = Enterprise.objects.filter(
        Enterprise.classification.released(), confirmed_at__lt=now - DUE_AFTER, group__isnull=False
    )
    sent = 0
    for enterprise in due.iterator():
        start = _cycle_start(enterprise)
        not_yet = Q(confirmation_reminded_at__isnull=True) | Q(confirmation_reminded_at__lt=start)
        claimed = Enterprise.objects.filter(not_yet, pk=enterprise.pk).update(
            confirmation_reminded_at=now
        )
        if not claimed:
            continue
        recipients = [user.email for user in enterprise.owners.filter(is_active=True) if user.email]
        if recipients:
            send_templated(
                "enterprise_confirmation",
                recipients,
                {
                    "enterprise": enterprise,
                    "confirmed_on": (enterprise.confirmed_at or start).date(),
                    "confirm_url": settings.SITE_URL
                    + reverse("enterprises:confirm", args=[link_token(enterprise)]),
                },
            )
            sent += 1
    return sent


def due_on(enterprise: Enterprise) -> date | None:
    """The day the next confirmation is due."""
    confirmed = enterprise.confirmed_at or enterprise.approved_at
    return (confirmed + DUE_AFTER).date() if confirmed else None
