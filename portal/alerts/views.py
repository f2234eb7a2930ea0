"""Pages of saved searches: save one from a search page, list and manage them, and the
unsubscribe page that e-mail links open without logging in.

A user only ever reaches their own saved searches (anyone else's answers 404). The search's
parameters come from the search page's URL and are checked by ``criteria.clean``; a refused
parameter is shown with its message and nothing is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .criteria import CriteriaError, clean, describe, from_query
from .forms import EditSavedSearchForm, SavedSearchForm
from .models import Kind, SavedSearch
from .tokens import BadToken, read_token

PAGE_SIZE = 10


def _default_name(kind: str, q: str, filters: dict) -> str:
    words = [q] if q else [value for _label, value in describe(kind, "", filters)]
    name = " · ".join(w for w in words if w) or str(Kind(kind).label)
    return name[:100]


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Save the search in the URL (``?type=supplier&q=…&industry=…``) with a name and frequency.

    ``type`` says which search it is (``kind`` is a filter of the notice list)."""
    kind = request.GET.get("type", Kind.SUPPLIER)
    context: dict = {"kind": kind, "query": request.GET.urlencode()}
    try:
        q, filters = clean(kind, *from_query(kind, request.GET))
    except CriteriaError as error:
        context["criteria_errors"] = error.fields
        return render(request, "alerts/saved_search_form.html", context, status=400)
    context["description"] = describe(kind, q, filters)
    initial = {"name": _default_name(kind, q, filters)}
    form = SavedSearchForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(commit=False)
            saved.user, saved.kind, saved.q, saved.filters = request.user, kind, q, filters
            saved.save()
            messages.success(
                request, _("Search saved. New matches will be sent to %s.") % request.user.email
            )
            return redirect("alerts:list")
        context["form"] = form
        return render(request, "alerts/saved_search_form.html", context, status=400)
    context["form"] = form
    return render(request, "alerts/saved_search_form.html", context)


@login_required
def saved_search_list(request: HttpRequest) -> HttpResponse:
    """The user's saved searches, newest first, ten per page."""
    queryset = SavedSearch.objects.filter(user=request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"search": saved, "description": describe(saved.kind, saved.q, saved.filters)}
        for saved in page.object_list
    ]
    return render(
        request,
        "alerts/saved_search_list.html",
        {"rows": rows, "page_obj": page, "paginator": page.paginator},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    form = EditSavedSearchForm(request.POST or None, instance=saved)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved search updated."))
            return redirect("alerts:list")
        status = 400
    else:
        status = 200
    return render(
        request,
        "alerts/saved_search_edit.html",
        {
            "form": form,
            "search": saved,
            "description": describe(saved.kind, saved.q, saved.filters),
        },
        status=status,
    )


@login_required
@require_POST
def toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause or resume from the list with one button."""
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    saved.active = not saved.active
    saved.save(update_fields=["active"])
    if saved.active:
        messages.success(request, _("Alerts resumed for “%s”.") % saved.name)
    else:
        messages.success(request, _("Alerts paused for “%s”.") % saved.name)
    return redirect("alerts:list")


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    if request.method == "POST":
        saved.delete()
        messages.success(request, _("Saved search “%s” deleted.") % saved.name)
        return redirect("alerts:list")
    return render(request, "alerts/saved_search_delete.html", {"search": saved})


@csrf_exempt  # the signed token is the credential; RFC 8058 one-click POSTs carry no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: confirm page. POST (the button, or a mail client's one-click): pause the alerts."""
    try:
        target = read_token(token)
    except BadToken:
        return render(request, "alerts/unsubscribe_invalid.html", status=400)
    searches = SavedSearch.objects.filter(user_id=target.user_id)
    if target.saved_search_id is not None:
        searches = searches.filter(pk=target.saved_search_id)
    if request.method == "POST":
        count = searches.filter(active=True).update(active=False)
        return render(
            request,
            "alerts/unsubscribe.html",
            {"done": True, "count": count, "searches": list(searches), "token": token},
        )
    return render(
        request,
        "alerts/unsubscribe.html",
        {
            "done": False,
            "searches": list(searches),
            "all": target.saved_search_id is None,
            "token": token,
        },
    )
