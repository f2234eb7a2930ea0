"""One alert run: for every user with due saved searches, one e-mail listing the new matches
of each, claimed in the database before it is sent, so that a worker killed at any point
neither loses a message nor, but for one short window, sends it twice.

Per user, first the **claim**, one transaction: lock the user's saved searches (``SELECT … FOR
UPDATE SKIP LOCKED``, so two overlapping runs never handle the same search), compute the new
matches for the user as they are now (``matches.new_matches``: the release policy at send
time), render the e-mail, insert an ``AlertDelivery`` holding it and the ``AlertItem`` rows it
carries (unique per search and item), advance ``last_run_at``; commit. Then the **send**: lock
the delivery row (SKIP LOCKED: nobody else is sending it), hand the message to the mail
backend, set ``sent_at``; commit.

- The send raises (the mail server refuses, the engine or a template failed earlier): the
  claim is undone (delivery and items deleted, ``last_run_at`` put back), so the next run finds
  the same items again and sends them once, with the policy as it is then.
- The worker dies after the claim and before the mail server took the message: the delivery
  stays unsent, and the next run (the redelivered task, or the next beat tick) sends it as
  rendered, once, before anything new. It lists what the user could see at the claim.
- The window left: the worker dies after the mail server took the message and before
  ``sent_at`` is committed (one SMTP reply and one UPDATE). The next run sends the message
  again, with the same ``Message-ID``, which mail systems use to recognise a copy.

One user's failure does not stop the run for the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.core.mail import render_message

from .criteria import describe
from .matches import Match, absolute, new_matches
from .models import INTERVALS, AlertDelivery, AlertItem, Frequency, SavedSearch
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
    """Send what a dead run left claimed, then handle every user with due searches; a failing
    user is logged and retried next run."""
    now = now or timezone.now()
    report = RunReport()
    report.sent += send_unsent()
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
    claimed = _claim(user_id, now or timezone.now())
    if claimed is None:
        return 0
    delivery, before = claimed
    try:
        _deliver(delivery.pk)
    except Exception:
        _unclaim(delivery, before)
        raise
    return delivery.items.count()


#: The saved searches' (last_run_at, last_sent_at) before a claim, to put back if it is undone.
Before = dict[int, tuple[datetime | None, datetime | None]]


def _claim(user_id: int, now: datetime) -> tuple[AlertDelivery, Before] | None:
    """The claim transaction; None when nothing is to be sent (the searches still count as
    run)."""
    from portal.accounts.models import User

    with transaction.atomic():
        user = User.objects.get(pk=user_id)  # a fresh object: the policy caches per object
        searches = SavedSearch.objects.select_for_update(skip_locked=True).filter(
            user=user, active=True
        )
        due = [saved for saved in searches.order_by("pk") if saved.is_due(now)]
        if not due:
            return None
        sections: list[tuple[SavedSearch, list[Match]]] = []
        if deliverable(user):
            for saved in due:
                matches = new_matches(saved, user, since_for(saved))
                if matches:
                    sections.append((saved, matches))
        before = {saved.pk: (saved.last_run_at, saved.last_sent_at) for saved in due}
        for saved in due:
            saved.last_run_at = now
        for saved, _matches in sections:
            saved.last_sent_at = now
        SavedSearch.objects.bulk_update(due, ["last_run_at", "last_sent_at"])
        if not sections:
            return None
        delivery = AlertDelivery.objects.create(user=user, created=now, **_compose(user, sections))
        AlertItem.objects.bulk_create(
            [
                AlertItem(
                    saved_search=saved,
                    item_type=m.item_type,
                    item_id=m.item_id,
                    sent_at=now,
                    delivery=delivery,
                )
                for saved, matches in sections
                for m in matches
            ]
        )
    return delivery, before


def _unclaim(delivery: AlertDelivery, before: Before) -> None:
    """Undo a claim whose send failed: the items are free again and the searches due again."""
    with transaction.atomic():
        if not AlertDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).delete()[0]:
            return  # another run sent it meanwhile
        searches = list(SavedSearch.objects.select_for_update().filter(pk__in=before))
        for saved in searches:
            saved.last_run_at, saved.last_sent_at = before[saved.pk]
        SavedSearch.objects.bulk_update(searches, ["last_run_at", "last_sent_at"])


def _deliver(delivery_id: int) -> bool:
    """Send one claimed delivery unless it is sent or being sent; whether this call sent it."""
    with transaction.atomic():
        delivery = (
            AlertDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, sent_at__isnull=True)
            .first()
        )
        if delivery is None:
            return False
        message = EmailMultiAlternatives(
            delivery.subject,
            delivery.text,
            settings.DEFAULT_FROM_EMAIL,
            [delivery.recipient],
            headers={**delivery.headers, "Message-ID": delivery.message_id},
        )
        message.attach_alternative(delivery.html, "text/html")
        message.send()
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
    return True


def send_unsent() -> int:
    """Send the deliveries a dead worker claimed and never sent (each once: the row lock and
    ``sent_at`` keep two runs apart); how many were sent."""
    sent = 0
    pending = AlertDelivery.objects.filter(sent_at__isnull=True).order_by("pk")
    for delivery_id in pending.values_list("pk", flat=True):
        try:
            sent += _deliver(delivery_id)
        except Exception:
            log.exception("alerts: unsent delivery %s failed again; retried next run", delivery_id)
    return sent


def _compose(user, sections: list[tuple[SavedSearch, list[Match]]]) -> dict:
    """The digest's fields as ``AlertDelivery`` stores them, rendered at the claim."""
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
    return {
        "message_id": make_msgid("alert", domain=_mail_domain()),
        "recipient": user.email,
        "subject": subject,
        "text": text,
        "html": html,
        "headers": {
            # RFC 2369 / RFC 8058: mail clients offer a one-click unsubscribe (a POST).
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def _mail_domain() -> str:
    """The site's host for Message-IDs (not the worker's host name, which says nothing)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
