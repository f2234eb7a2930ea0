"""关注 and 意向供应商名单: following a notice, and suppliers marking their interest in it.

Anyone signed in who may see a notice follows it (and gets its amendments by e-mail). An owner
of an approved enterprise puts that enterprise on the interested-suppliers list of an open
demand notice, optionally as seeking partners (寻求合作). The list is shown to those who may
see the notice, and of it only the enterprises the reader may see themselves (the policy).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from classification import policy
from portal.enterprises.models import Enterprise

from .models import Kind, NoticeFollow, NoticeInterest, NoticePage
from .responses import vetted_enterprises


class FollowError(Exception):
    pass


def is_following(user, notice: NoticePage) -> bool:
    return user.is_authenticated and notice.follows.filter(user=user).exists()


def follow(user, notice: NoticePage) -> None:
    """Idempotent: following twice keeps one row (a database constraint)."""
    if not user.is_authenticated or not policy.can_view(user, notice):
        raise FollowError(_("No such notice."))
    try:
        with transaction.atomic():
            NoticeFollow.objects.get_or_create(notice=notice, user=user)
    except IntegrityError:  # a second tab won the race: the row is there
        pass


def unfollow(user, notice: NoticePage) -> None:
    NoticeFollow.objects.filter(notice=notice, user=user).delete()


def takes_interest(notice: NoticePage) -> bool:
    """Only published, open demand notices gather interested suppliers."""
    return notice.kind == Kind.DEMAND and notice.live and notice.is_open


def mark_interest(user, notice: NoticePage, enterprise: Enterprise, teaming: bool) -> None:
    """Put ``enterprise`` on the list (or change its teaming flag)."""
    if not policy.can_view(user, notice) or not takes_interest(notice):
        raise FollowError(_("This notice takes no interested suppliers."))
    if enterprise.pk not in policy.enterprise_ids(user):
        raise FollowError(_("Only owners of an approved enterprise may mark interest."))
    with transaction.atomic():
        NoticeInterest.objects.update_or_create(
            notice=notice,
            enterprise=enterprise,
            defaults={"teaming": teaming, "marked_by": user},
        )


def withdraw_interest(user, notice: NoticePage, enterprise: Enterprise) -> None:
    if enterprise.pk not in policy.enterprise_ids(user):
        raise FollowError(_("Only owners of an approved enterprise may mark interest."))
    NoticeInterest.objects.filter(notice=notice, enterprise=enterprise).delete()


def interested_for(notice: NoticePage, user) -> list[dict[str, Any]]:
    """The list as ``user`` may read it: enterprises they may not see are left out."""
    listed = notice.interests.values_list("enterprise_id", "teaming")
    teaming = dict(listed)
    if not teaming:
        return []
    shown = policy.visible(Enterprise.objects.filter(pk__in=teaming), user).order_by("name")
    return [{"enterprise": e, "teaming": teaming[e.pk]} for e in shown]


def box_context(notice: NoticePage, user) -> dict[str, Any]:
    """What the notice page's follow-and-interest box shows ``user``."""
    mine = vetted_enterprises(user) if user.is_authenticated else []
    marked = (
        dict(notice.interests.filter(enterprise__in=mine).values_list("enterprise_id", "teaming"))
        if mine
        else {}
    )
    return {
        "following": is_following(user, notice),
        "takes_interest": takes_interest(notice),
        "my_enterprises": [
            {"enterprise": e, "marked": e.pk in marked, "teaming": marked.get(e.pk)} for e in mine
        ],
        "interested": interested_for(notice, user),
    }
