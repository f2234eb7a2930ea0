"""Matching on other apps' pages: the link on a demand notice and the dashboard block.

Template tags keep those pages' own templates and views untouched but for one ``include``:
the decision who sees the link or the block stays here, next to the matching code.
"""

from __future__ import annotations

from django import template
from django.utils.dateparse import parse_datetime

from portal.notices.models import Kind

from ..notices import match_notices, may_match_notices
from ..suppliers import may_match_suppliers

register = template.Library()

DASHBOARD_SIZE = 5


@register.simple_tag(takes_context=True)
def may_list_suppliers(context, notice) -> bool:
    """Whether the reader of a notice page gets the "匹配供应商" link (the page itself checks
    visibility before rendering)."""
    request = context.get("request")
    if request is None or notice is None or getattr(notice, "kind", None) != Kind.DEMAND:
        return False
    return may_match_suppliers(request.user, notice)


@register.inclusion_tag("matching/dashboard_block.html", takes_context=True)
def fitting_notices(context, enterprise) -> dict:
    """The "适合我的需求" block of one enterprise on its owner's dashboard."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not enterprise.is_approved or not may_match_notices(user, enterprise):
        return {"show": False}
    page = match_notices(user, enterprise, 1, DASHBOARD_SIZE)
    for match in page.results:  # the API's ISO string, as a datetime for the date filter
        deadline = match.item.get("deadline")
        match.deadline = parse_datetime(deadline) if deadline else None
    return {"show": True, "enterprise": enterprise, "page": page, "matches": page.results}
