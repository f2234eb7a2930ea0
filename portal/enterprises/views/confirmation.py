"""The yearly confirmation's page: reached from the reminder's signed link or the dashboard.

The link alone lets its holder confirm the profile (as an unsubscribe link lets its holder
unsubscribe): it names one profile and one cycle and expires. Updating the profile instead
needs the owner's login, through the wizard.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from classification import policy

from .. import confirmation, workflow
from ..models import Enterprise, Status


def _page(request: HttpRequest, enterprise: Enterprise, action: str) -> HttpResponse:
    return render(
        request,
        "enterprises/confirm.html",
        {
            "enterprise": enterprise,
            "state": confirmation.state(enterprise),
            "due_on": confirmation.due_on(enterprise),
            "action": action,
        },
    )


def confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    enterprise = confirmation.enterprise_for(token)
    if enterprise is None:
        return render(request, "enterprises/confirm_invalid.html", status=404)
    if request.method == "POST":
        confirmation.confirm(enterprise)
        messages.success(request, _("Thank you: the profile is confirmed for another year."))
        return redirect("enterprises:confirm", token=token)
    return _page(request, enterprise, request.path)


@login_required
def confirm_owned(request: HttpRequest, pk: int) -> HttpResponse:
    """The same from the owner's dashboard."""
    enterprise = policy.get_visible_or_404(Enterprise.objects.all(), request.user, pk=pk)
    if not workflow.is_owner(request.user, enterprise) or enterprise.status != Status.APPROVED:
        raise Http404
    if request.method == "POST":
        confirmation.confirm(enterprise)
        messages.success(request, _("Thank you: the profile is confirmed for another year."))
        return redirect("enterprises:dashboard")
    return _page(request, enterprise, request.path)
