"""Pages of the procurement desk (需求发布台), mounted at /desk/.

Every view declares what it needs with ``desk_view``: a signed-in procurement officer; anyone
else gets the login page (anonymous) or 404. A notice is found among the officer's own through
the release policy (``desk.get_own_notice_or_404``): another officer's notice is a 404 too. The
rules of each step live in ``desk.py``; these views only show forms and report the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from classification import audit
from portal.shortlists import access as shortlist_access
from search import engine
from search.queries import QueryError

from . import amendments, desk
from .desk_forms import CloseForm, DeadlineForm, NoticeForm
from .models import Kind, NoticeResponse

MATCH_PREVIEW = 5


def desk_view(view: Callable) -> Callable:
    """The desk's requirement: a signed-in procurement officer or owner of an approved
    enterprise (``desk.may_use_desk``)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not desk.may_use_desk(request.user):
            raise Http404("No desk here.")
        return view(request, *args, **kwargs)

    return wrapped


@desk_view
def index(request: HttpRequest) -> HttpResponse:
    """我的需求: the author's notices with status, deadline and response count."""
    notices = (
        desk.my_notices(request.user)
        .annotate(response_count=Count("responses"))
        .order_by("-latest_revision_created_at", "-pk")
    )
    rows = [{"notice": n, "status": desk.status_of(n)} for n in notices]
    return render(
        request, "notices/desk/index.html", {"rows": rows, "labels": desk.desk_labels(request.user)}
    )


@desk_view
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """发布需求: a new notice, saved as a draft and, on request, submitted."""
    kinds = desk.desk_kinds(request.user)
    form = NoticeForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        notice = desk.create_draft(request.user, form.cleaned_data)
        if "submit" in request.POST:
            desk.submit(request.user, notice)
            messages.success(request, _("Saved and submitted for classification review."))
        else:
            messages.success(request, _("Saved as a draft. Submit it when it is ready."))
        return redirect("desk:detail", notice.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "notice": None, "labels": desk.desk_labels(request.user)}
    return render(request, "notices/desk/form.html", context, status=status)


@desk_view
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice on the desk: status and actions, responses, matching suppliers, amendments."""
    notice = desk.get_own_notice_or_404(request.user, pk)
    audit.record_view(request.user, notice, request, action="classification.notice.viewed")
    draft = notice.get_latest_revision_as_object()
    responses = (
        NoticeResponse.objects.filter(notice=notice)
        .select_related("enterprise")
        .prefetch_related("files")
    )
    context = {
        "notice": notice,
        "draft": draft,
        "status": desk.status_of(notice),
        "responses": responses,
        "amendments": amendments.history_for(notice, request.user),
        "waiting_amendment": notice.amendments.filter(published_at__isnull=True).first(),
        "followers": notice.follows.count(),
        "interested": notice.interests.count(),
        "shortlists": shortlist_access.visible(request.user).order_by("-updated")[:5],
        "deadline_form": DeadlineForm(),
        "labels": desk.desk_labels(request.user),
        "is_demand": notice.kind == Kind.DEMAND,
        "close_form": CloseForm(),
    }
    context.update(_matches(request, notice))
    return render(request, "notices/desk/detail.html", context)


def _matches(request: HttpRequest, notice) -> dict:
    """The first matching suppliers of a published notice (the matching page lists them all)."""
    if not notice.live or notice.kind != Kind.DEMAND:
        return {"matches": None}
    from portal.matching.suppliers import match_suppliers

    try:
        page = match_suppliers(request.user, notice, 1, MATCH_PREVIEW)
    except (QueryError, engine.EngineUnavailable):
        return {"matches": None, "matches_unavailable": True}
    return {"matches": page.results, "match_total": page.total}


@desk_view
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit: a new revision; for a live notice an amendment that goes through the workflow."""
    notice = desk.get_own_notice_or_404(request.user, pk)
    draft = notice.get_latest_revision_as_object()
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        initial=NoticeForm.initial_for(draft),
        live=notice.live,
        attached=list(draft.attachments.all()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            desk.save_edit(
                request.user, notice, form.cleaned_data, form.cleaned_data.get("reason", "")
            )
            if "submit" in request.POST:
                desk.submit(request.user, notice)
                messages.success(request, _("Saved and submitted for classification review."))
            else:
                messages.success(request, _("Your changes are saved as a draft."))
            return redirect("desk:detail", notice.pk)
        except desk.DeskError as error:
            form.add_error(None, str(error))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "notice": notice, "labels": desk.desk_labels(request.user)}
    return render(request, "notices/desk/form.html", context, status=status)


def _act(request: HttpRequest, pk: int, action: Callable, done: str) -> HttpResponse:
    notice = desk.get_own_notice_or_404(request.user, pk)
    try:
        action(request.user, notice)
        messages.success(request, done)
    except desk.DeskError as error:
        messages.error(request, str(error))
    return redirect("desk:detail", notice.pk)


@desk_view
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, desk.submit, _("Submitted for classification review."))


@desk_view
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, desk.cancel, _("The submission was taken back."))


@desk_view
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, desk.withdraw, _("The notice was withdrawn from the site."))


def _deadline_change(request: HttpRequest, pk: int, close: bool) -> HttpResponse:
    notice = desk.get_own_notice_or_404(request.user, pk)
    form = (CloseForm if close else DeadlineForm)(request.POST)
    if form.is_valid():
        try:
            desk.change_deadline(
                request.user,
                notice,
                form.cleaned_data.get("deadline"),
                form.cleaned_data["reason"],
                close=close,
            )
            messages.success(
                request, _("The notice is closed.") if close else _("The deadline was changed.")
            )
        except desk.DeskError as error:
            messages.error(request, str(error))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("desk:detail", notice.pk)


@desk_view
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """截止: the deadline becomes now; followers are told."""
    return _deadline_change(request, pk, close=True)


@desk_view
@require_POST
def deadline(request: HttpRequest, pk: int) -> HttpResponse:
    """延期: a new deadline in the future; followers are told."""
    return _deadline_change(request, pk, close=False)
