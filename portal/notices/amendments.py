"""变更公告: what changed in a live notice, its history on the page and the followers' e-mail.

An edit of a live notice is a new revision that goes through the workflow again; its amendment
(which fields changed, the author's reason) waits for that revision and is published with it
(``on_page_published``). A deadline change (closing early, extending) applies at once and is
published at once. Either way the followers are told by e-mail, each only of the changes to
fields they may read, and only while they may still see the notice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classification import policy
from portal.core.mail import send_templated

from .models import SENSITIVE_FIELDS, AmendmentKind, NoticeAmendment, NoticePage

#: What an amendment may name, in the order a reader meets it on the page.
FIELD_LABELS: dict[str, Any] = {
    "title": _("Notice title"),
    "summary": _("Summary"),
    "body": _("Body text"),
    "requirements": _("Technical requirements"),
    "industries": _("Industries"),
    "region": _("Region"),
    "budget": _("Budget"),
    "deadline": _("Response deadline"),
    "contact": _("Contact"),
    "qualifications": _("Required qualifications"),
    "attachments": _("Attachments"),
}


def _blocks(notice: NoticePage, requirements: bool) -> list:
    """The body's blocks as comparable values: requirement lists by their text (list items
    carry fresh ids each time they are written), other blocks by their stored form."""
    if requirements:
        return [
            (child.value["heading"], [str(item) for item in child.value["items"]])
            for child in notice.body
            if child.block_type == "requirements"
        ]
    return [
        (child.block_type, child.block.get_prep_value(child.value))
        for child in notice.body
        if child.block_type != "requirements"
    ]


def snapshot(notice: NoticePage) -> dict[str, Any]:
    """Each amendable field of ``notice`` (a page or a page built from a revision) as a value
    that compares equal when nothing a reader sees has changed. Taken before an edit, since
    Wagtail hands out the live page itself as the latest version when no draft waits."""
    return {
        "title": notice.title,
        "summary": notice.summary,
        "body": _blocks(notice, requirements=False),
        "requirements": _blocks(notice, requirements=True),
        "industries": sorted(i.pk for i in notice.industries.all()),
        "region": (notice.region_id, notice.region_required),
        "budget": (notice.budget_min, notice.budget_max),
        "deadline": notice.deadline,
        "contact": (notice.contact_name, notice.contact_phone, notice.contact_email),
        "qualifications": sorted(
            (q.qualification_type_id, q.minimum_level) for q in notice.required_qualifications.all()
        ),
        "attachments": [(a.document_id, a.title) for a in notice.attachments.all()],
    }


def changed_fields(before: dict[str, Any], after: NoticePage) -> list[str]:
    """The names (``FIELD_LABELS`` keys) whose values differ from the ``before`` snapshot."""
    new = snapshot(after)
    return [name for name in FIELD_LABELS if before[name] != new[name]]


def readable_fields(amendment: NoticeAmendment, user) -> list[str]:
    """The changed fields ``user`` may read: a restricted field's change is not news to share."""
    notice = amendment.notice
    return [
        name
        for name in amendment.fields
        if name not in SENSITIVE_FIELDS or policy.field_visible(user, notice, name)
    ]


def history_for(notice: NoticePage, user) -> list[dict[str, Any]]:
    """The published amendments of ``notice`` as ``user`` may read them, newest first."""
    rows = notice.amendments.filter(published_at__isnull=False).order_by("-published_at", "-pk")
    history = []
    for amendment in rows:
        amendment.notice = notice
        names = readable_fields(amendment, user)
        history.append(
            {
                "kind": amendment.kind,
                "kind_label": amendment.get_kind_display(),
                "when": amendment.published_at,
                "reason": amendment.reason,
                "fields": [str(FIELD_LABELS[name]) for name in names if name in FIELD_LABELS],
                "old_deadline": amendment.old_deadline,
                "new_deadline": amendment.new_deadline,
            }
        )
    return history


def record_edit(
    notice: NoticePage, revision, user, fields: list[str], reason: str, old_deadline=None
) -> None:
    """The amendment an edit of a live notice carries, waiting for ``revision``'s publication.

    One waiting amendment per notice: a second edit before publication replaces the first,
    since both compare with the same live version.
    """
    notice.amendments.filter(kind=AmendmentKind.EDITED, published_at__isnull=True).delete()
    NoticeAmendment.objects.create(
        notice=notice,
        kind=AmendmentKind.EDITED,
        revision=revision,
        fields=fields,
        old_deadline=old_deadline if "deadline" in fields else None,
        reason=reason,
        author=user,
    )


def record_deadline(
    notice: NoticePage, user, old, new, reason: str, closed: bool = False
) -> NoticeAmendment:
    """A deadline change, published now (the caller has written the new deadline)."""
    amendment = NoticeAmendment.objects.create(
        notice=notice,
        kind=AmendmentKind.CLOSED if closed else AmendmentKind.DEADLINE,
        fields=["deadline"],
        old_deadline=old,
        new_deadline=new,
        reason=reason,
        author=user,
        published_at=timezone.now(),
    )
    notify_followers(amendment)
    return amendment


def on_page_published(sender, instance, revision=None, **kwargs) -> None:
    """``page_published``: the amendments waiting for this revision (or an older one of the
    same notice) are published with it, and the followers told."""
    if not isinstance(instance, NoticePage) or revision is None:
        return
    waiting = instance.amendments.filter(
        kind=AmendmentKind.EDITED, published_at__isnull=True, revision_id__lte=revision.pk
    )
    for amendment in waiting:
        amendment.published_at = timezone.now()
        amendment.new_deadline = instance.deadline if "deadline" in amendment.fields else None
        amendment.save(update_fields=["published_at", "new_deadline"])
        notify_followers(amendment)


def notify_followers(amendment: NoticeAmendment) -> int:
    """E-mail each follower who may still see the notice; returns how many were queued."""
    notice = NoticePage.objects.get(pk=amendment.notice_id)
    amendment.notice = notice
    url = settings.SITE_URL.rstrip("/") + (notice.url or "")
    sent = 0
    follows = notice.follows.select_related("user").filter(user__is_active=True)
    for follow in follows:
        user = follow.user
        if not user.email or not policy.can_view(user, notice):
            continue
        names = readable_fields(amendment, user)
        send_templated(
            "notice_amended",
            [user.email],
            {
                "notice": notice,
                "amendment": amendment,
                "fields": [FIELD_LABELS[name] for name in names],
                "url": url,
            },
        )
        sent += 1
    return sent


def connect() -> None:
    """Called from ``NoticesConfig.ready``."""
    from wagtail.signals import page_published

    page_published.connect(
        on_page_published, weak=False, dispatch_uid="notices-amendments-published"
    )
