"""What the desk adds to a notice page, as tags: the notice page's own template and view stay
as they are but for two includes, and the decisions (who edits, what is listed) stay in
``desk``, ``amendments`` and ``following``."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ..amendments import history_for
from ..desk import may_edit_on_desk
from ..following import box_context

register = template.Library()

DASHBOARD_SIZE = 5


@register.simple_tag(takes_context=True)
def notice_edit_url(context, notice) -> str:
    """The author edits on the desk; others who may edit the page (editors, officers) in the
    admin; everyone else gets no link (the empty string)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if notice is None or user is None or not user.is_authenticated or notice.pk is None:
        return ""
    if may_edit_on_desk(user, notice):
        return reverse("desk:detail", args=[notice.pk])
    if notice.permissions_for_user(user).can_edit():
        return reverse("wagtailadmin_pages:edit", args=[notice.pk])
    return ""


@register.inclusion_tag("notices/includes/desk_extras.html", takes_context=True)
def notice_desk_extras(context, notice) -> dict:
    """Amendment history, the follow button and the interested-suppliers list."""
    request = context.get("request")
    user = request.user
    data = {
        "request": request,
        "user": user,
        "notice": notice,
        "csrf_token": context.get("csrf_token"),
    }
    data["amendments"] = history_for(notice, user)
    data.update(box_context(notice, user))
    return data


@register.inclusion_tag("notices/includes/desk_dashboard.html", takes_context=True)
def desk_dashboard(context) -> dict:
    """The procurement desk's block on the account dashboard: the officer's latest notices."""
    from ..desk import desk_labels, may_use_desk, my_notices, status_of

    request = context.get("request")
    user = getattr(request, "user", None)
    if not may_use_desk(user):
        return {"show": False}
    latest = my_notices(user).order_by("-latest_revision_created_at", "-pk")[:DASHBOARD_SIZE]
    rows = [{"notice": n, "status": status_of(n)} for n in latest]
    return {"show": True, "rows": rows, "labels": desk_labels(user)}
