"""``{% shortlist_picker enterprise as picker %}``: what the "加入候选名单" control offers.

The control is included once per search hit, so what it needs (the lists the user may add to,
and which suppliers are already on them) is read once per request and kept on the request.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import template

from .. import access
from ..models import ShortlistEntry

register = template.Library()

_CACHE = "_shortlist_picker"
#: The picker lists the most recently changed lists; more are reachable from /shortlists/.
PICKER_LISTS = 30


def _state(request) -> dict[str, Any]:
    state = getattr(request, _CACHE, None)
    if state is None:
        user = request.user
        may_create = access.can_create(user)
        editable = access.editable(user)
        lists = list(editable.order_by("-updated", "-pk").values("pk", "name")[:PICKER_LISTS])
        on: dict[int, list[str]] = defaultdict(list)
        if lists:
            pairs = ShortlistEntry.objects.filter(shortlist__in=editable).values_list(
                "enterprise_id", "shortlist__name"
            )
            for enterprise_id, name in pairs:
                on[enterprise_id].append(name)
        state = {"enabled": may_create or bool(lists), "may_create": may_create, "lists": lists}
        state["on"] = on
        setattr(request, _CACHE, state)
    return state


def _enterprise_id(enterprise) -> int | None:
    if enterprise is None:
        return None
    if isinstance(enterprise, dict):
        value = enterprise.get("id", enterprise.get("pk"))
    else:
        value = getattr(enterprise, "pk", None) or getattr(enterprise, "id", None)
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.simple_tag(takes_context=True)
def shortlist_picker(context, enterprise) -> dict[str, Any]:
    """``enabled`` (show the control at all), ``lists``, ``may_create``, ``on`` (names of
    the user's lists already holding this supplier), ``enterprise_id`` and ``first`` (the
    first control of the page, which brings the stylesheet)."""
    request = context.get("request")
    enterprise_id = _enterprise_id(enterprise)
    if request is None or enterprise_id is None or not request.user.is_authenticated:
        return {"enabled": False}
    state = _state(request)
    first = not state.get("styled")
    state["styled"] = True
    return {
        "first": first,
        "enabled": state["enabled"],
        "lists": state["lists"],
        "may_create": state["may_create"],
        "on": state["on"].get(enterprise_id, []),
        "enterprise_id": enterprise_id,
    }


@register.simple_tag
def group_label(group) -> str:
    """A group as people know it: role groups by their role's name."""
    from ..forms import group_label as label

    return label(group)


@register.filter
def uses_shortlists(user) -> bool:
    """Whether to offer "候选名单" in the header: officers and staff, and anyone a list is
    shared with (remembered on the user object, which lives for one request)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_uses_shortlists", None)
    if cached is None:
        cached = access.can_create(user) or access.visible(user).exists()
        user._uses_shortlists = cached
    return cached
