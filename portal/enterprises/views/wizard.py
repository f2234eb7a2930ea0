"""The enterprise sign-up wizard: account → basics → qualifications → products… → contacts →
review and submit.

Step 0 (the account) reuses the account pages. Every later step validates all its forms first
and then writes through ``workflow`` in one transaction, so a rejected step changes nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import workflow
from ..forms import CompanyForm
from ..forms.uploads import delete_documents
from ..presentation import attach_document_links, draft_profile_data
from .drafts import editable_data, owned_enterprise_or_404
from .steps import STEPS, step_by_key


def _progress(current: str) -> list[dict]:
    keys = [step.key for step in STEPS]
    index = keys.index(current)
    return [
        {
            "number": n,
            "key": s.key,
            "title": s.title,
            "current": s.key == current,
            "done": n - 1 < index,
        }
        for n, s in enumerate(STEPS, start=1)
    ]


def _context(key: str, **extra) -> dict:
    number = [step.key for step in STEPS].index(key) + 1
    return {"steps": _progress(key), "step_number": number, "step_count": len(STEPS), **extra}


@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 0: an account. Anonymous visitors sign up or log in and come back here."""
    if request.user.is_authenticated and request.user.email_verified:
        return redirect("enterprises:register_basics")
    here = reverse("enterprises:register")
    return render(
        request,
        "enterprises/wizard/start.html",
        {
            "login_url": f"{reverse('accounts:login')}?{urlencode({'next': here})}",
            "signup_url": f"{reverse('accounts:signup')}?{urlencode({'next': here})}",
            "step_count": len(STEPS),
        },
    )


def _verified_or_start(request: HttpRequest) -> HttpResponse | None:
    if not request.user.email_verified:
        messages.info(request, _("Please verify your e-mail address before registering."))
        return redirect("enterprises:register")
    return None


@login_required
@require_http_methods(["GET", "POST"])
def basics_new(request: HttpRequest) -> HttpResponse:
    """Step 1 for a new profile: the first valid save creates the draft enterprise."""
    refused = _verified_or_start(request)
    if refused:
        return refused
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.snapshot_data()
        with transaction.atomic():
            enterprise = workflow.create_enterprise(
                request.user, uscc=data["uscc"], name=data["name"], region=data["region"]
            )
            workflow.save_draft(request.user, enterprise, data)
        messages.success(request, _("The company basics are saved as a draft."))
        return redirect("enterprises:edit", pk=enterprise.pk, step="qualifications")
    if request.method == "POST":
        messages.error(request, _("Nothing was saved: please correct the marked fields."))
    return render(
        request,
        "enterprises/wizard/basics.html",
        _context("basics", form=form, enterprise=None),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Steps 1–5 of an existing profile; saves go to the working copy only."""
    enterprise = owned_enterprise_or_404(request, pk)
    handler = step_by_key(step)
    if handler is None:
        raise Http404("No such step.")
    data, locked = editable_data(enterprise)
    if locked:
        messages.info(
            request, _("This profile is under review; it can be edited after the decision.")
        )
        return redirect("enterprises:dashboard")
    context = _context(step, enterprise=enterprise, draft=data)
    if handler.key == "review":
        context["profile"] = attach_document_links(draft_profile_data(enterprise, data))
        context["missing"] = workflow.missing_for_submission(data)
        return render(request, handler.template, context)
    forms = handler.build(request, data, enterprise)
    if request.method == "POST" and handler.is_valid(forms):
        stored: list[str] = []
        try:
            with transaction.atomic():
                changes = handler.changes(forms, enterprise, stored)
                workflow.save_draft(request.user, enterprise, changes)
        except workflow.WorkflowError as error:
            delete_documents(stored)
            messages.error(request, " ".join(error.messages))
            return redirect("enterprises:dashboard")
        except Exception:
            delete_documents(stored)
            raise
        messages.success(request, _("Saved."))
        if "stay" in request.POST:
            return redirect("enterprises:edit", pk=pk, step=step)
        return redirect("enterprises:edit", pk=pk, step=handler.next_key)
    if request.method == "POST":
        messages.error(request, _("Nothing was saved: please correct the marked fields."))
    context.update(forms)
    return render(
        request, handler.template, context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand the working copy to the reviewers; a refusal is shown, never a half state."""
    enterprise = owned_enterprise_or_404(request, pk)
    try:
        workflow.submit(request.user, enterprise)
    except workflow.WorkflowError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("enterprises:edit", pk=pk, step="review")
    except PermissionDenied as error:
        raise Http404("No such enterprise.") from error
    messages.success(
        request, _("Submitted. A reviewer will check the profile; we will e-mail you the result.")
    )
    return redirect("enterprises:dashboard")
