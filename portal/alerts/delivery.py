"""One alert run: for every user with due saved searches, one e-mail listing the new matches
of each, and the ledger of what was sent, written atomically with the send.

Per user, in one transaction: lock the user's saved searches (``SELECT … FOR UPDATE SKIP
LOCKED``, so two overlapping runs never handle the same search), compute the new matches for
the user as they are now (``matches.new_matches``: the release policy at send time), insert the
``AlertItem`` rows (unique per search and item), advance ``last_run_at``, then send the mail.
If rendering, the engine or the mail backend raises, the transaction rolls back: nothing is
recorded and the same items are found and sent by the next run — never lost, never twice.
(The one window left is a crash after the mail server accepted the message and before the
commit; that sends the items again rather than losing them.) One user's failure does not stop
the run for the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.core.mail import render_message

from .criteria import describe
from .matches import Match, absolute, new_matches
from .models import INTERVALS, AlertItem, Frequency, SavedSearch
from .tokens import make_token

log = logging.getLogger(__name__)


def lookback() -> timedelta:
    """How far behind the last run to look again for items the index picked up late."""
    return getattr(settings, "ALERTS_LOOKBACK", timedelta(days=1))


def since_for(saved: SavedSearch) -> datetime:
    """Items changed from here on count as new: never before the search was saved."""
    if saved.last_run_at is None:
        return saved.created
    return max(saved.created, saved.last_run_at - lookback())


def _due(now: datetime) -> Q:
    due = Q(last_run_at__isnull=True) | Q(frequency=Frequency.IMMEDIATELY)
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        due |= Q(frequency=frequency, last_run_at__lte=now - INTERVALS[frequency])
    return due


def due_user_ids(now: datetime) -> list[int]:
    """Users with at least one active saved search due at ``now``."""
    return sorted(
        set(
            SavedSearch.objects.filter(_due(now), active=True, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
    )


def deliverable(user) -> bool:
    """Alerts go only to active users with a verified address (an unverified one may be a
    typo or somebody else's)."""
    return bool(user.is_active and user.email and user.email_verified)


@dataclass
class RunReport:
    users: int = 0
    sent: int = 0
    items: int = 0
    failed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"users": self.users, "sent": self.sent, "items": self.items, "failed": self.failed}


def run_due(now: datetime | None = None) -> RunReport:
    """Handle every user with due searches; a failing user is logged and retried next run."""
    now = now or timezone.now()
    report = RunReport()
    for user_id in due_user_ids(now):
        report.users += 1
        try:
            items = run_for_user(user_id, now)
        except Exception:
            log.exception("alerts: run for user %s failed; it is retried next run", user_id)
            report.failed.append(user_id)
            continue
        if items:
            report.sent += 1
            report.items += items
    return report


def run_for_user(user_id: int, now: datetime | None = None) -> int:
    """Send ``user_id`` one e-mail with the new matches of their due searches; items sent."""
    from portal.accounts.models import User

    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.get(pk=user_id)  # a fresh object: the policy caches per object
        searches = SavedSearch.objects.select_for_update(skip_locked=True).filter(
            user=user, active=True
        )
        due = [saved for saved in searches.order_by("pk") if saved.is_due(now)]
        if not due:
            return 0
        sections: list[tuple[SavedSearch, list[Match]]] = []
        if deliverable(user):
            for saved in due:
                matches = new_matches(saved, user, since_for(saved))
                if matches:
                    sections.append((saved, matches))
        for saved in due:
            saved.last_run_at = now
        for saved, _matches in sections:
            saved.last_sent_at = now
        SavedSearch.objects.bulk_update(due, ["last_run_at", "last_sent_at"])
        if not sections:
            return 0
        AlertItem.objects.bulk_create(
            [
                AlertItem(saved_search=saved, item_type=m.item_type, item_id=m.item_id, sent_at=now)
                for saved, matches in sections
                for m in matches
            ]
        )
        _send(user, sections)
    return sum(len(matches) for _saved, matches in sections)


def _send(user, sections: list[tuple[SavedSearch, list[Match]]]) -> None:
    """Render and send the digest now (not after commit): its failure must roll back."""
    unsubscribe_all = absolute(reverse("alerts:unsubscribe", args=[make_token(user.pk)]))
    context = {
        "user": user,
        "name": user.get_full_name() or user.username,
        "count": sum(len(matches) for _saved, matches in sections),
        "sections": [
            {
                "search": saved,
                "description": describe(saved.kind, saved.q, saved.filters),
                "items": matches,
                "search_url": absolute(saved.search_url()),
                "unsubscribe_url": absolute(
                    reverse("alerts:unsubscribe", args=[make_token(user.pk, saved.pk)])
                ),
            }
            for saved, matches in sections
        ],
        "manage_url": absolute(reverse("alerts:list")),
        "unsubscribe_all_url": unsubscribe_all,
    }
    subject, text, html = render_message("alerts_digest", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={
            # RFC 2369 / RFC 8058: mail clients offer a one-click unsubscribe (a POST).
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()
