"""Pages of shortlists: my shortlists, one shortlist, the "加入候选名单" form, the exports.

Each view fetches the shortlist through ``access.get_or_404`` with the access it needs (view,
edit, manage) and the suppliers through ``suppliers`` (the release policy): no view decides
visibility itself. Everything works without JavaScript (plain forms, POST then redirect, a
message saying what happened).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from classification import audit, policy, sharing
from portal.core import builds
from portal.enterprises.models import Enterprise

from . import access, changes, exports
from .forms import NEW, AddForm, NoteForm, ShareForm, ShortlistForm, group_label
from .models import ExportKind, Shortlist
from .suppliers import rows, suppliers, visible_entries

PAGE_SIZE = 20
ENTRIES_PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """My shortlists and those shared with me; procurement officers and staff create here."""
    user = request.user
    may_create = access.can_create(user)
    form = ShortlistForm(owner=user)
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied(_("Only procurement officers create shortlists."))
        form = ShortlistForm(request.POST, owner=user)
        if form.is_valid():
            try:
                shortlist = changes.create(
                    user, form.cleaned_data["name"], form.cleaned_data["description"]
                )
            except changes.ShortlistError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, _("Shortlist “%(name)s” created.") % {"name": shortlist})
                return redirect("shortlists:detail", pk=shortlist.pk)
    lists = access.visible(user).select_related("owner").order_by("-updated", "-pk")
    page = Paginator(lists, PAGE_SIZE).get_page(request.GET.get("page"))
    for shortlist in page:
        shortlist.is_mine = shortlist.owner_id == user.pk
        shortlist.entry_count = visible_entries(user, shortlist).count()
    return render(
        request,
        "shortlists/index.html",
        {"page": page, "form": form, "may_create": may_create},
        status=400 if form.errors else 200,
    )


def _share_form(user, data=None) -> ShareForm:
    return ShareForm(data, groups=access.share_targets(user))


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One shortlist: its suppliers (as this reader may see them), notes, sharing."""
    shortlist, rights = access.get_or_404(request.user, pk)
    return _render_detail(request, shortlist, rights)


def _render_detail(request, shortlist, rights, share_form=None, status=200) -> HttpResponse:
    user = request.user
    entries = visible_entries(user, shortlist)
    page = Paginator(entries, ENTRIES_PAGE_SIZE).get_page(request.GET.get("page"))
    page_rows = rows(user, entries.filter(pk__in=[entry.pk for entry in page]))
    context = {
        "shortlist": shortlist,
        "access": rights,
        "page": page,
        "rows": page_rows,
        "total": shortlist.entries.count(),
        "hidden_count": shortlist.entries.count() - page.paginator.count,
        "shares": sharing.shares(shortlist) if rights.manage else [],
        "share_form": share_form or (_share_form(user) if rights.manage else None),
    }
    return render(request, "shortlists/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename the list or change its description (owner only)."""
    shortlist, _rights = access.get_or_404(request.user, pk, need="manage")
    form = ShortlistForm(request.POST or None, instance=shortlist, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Shortlist saved."))
        return redirect("shortlists:detail", pk=shortlist.pk)
    status = 400 if form.errors else 200
    return render(
        request, "shortlists/edit.html", {"shortlist": shortlist, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete the list with its entries and shares (owner only)."""
    shortlist, _rights = access.get_or_404(request.user, pk, need="manage")
    if request.method == "POST":
        name = shortlist.name
        changes.delete(shortlist)
        messages.success(request, _("Shortlist “%(name)s” deleted.") % {"name": name})
        return redirect("shortlists:index")
    count = shortlist.entries.count()
    return render(request, "shortlists/delete.html", {"shortlist": shortlist, "count": count})


def _entry(request, pk: int, entry_pk: int):
    shortlist, _rights = access.get_or_404(request.user, pk, need="edit")
    entry = get_object_or_404(visible_entries(request.user, shortlist), pk=entry_pk)
    entry.shortlist = shortlist
    return shortlist, entry


@login_required
@require_POST
def note(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    shortlist, entry = _entry(request, pk, entry_pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        changes.set_note(entry, form.cleaned_data["note"])
        messages.success(request, _("Note saved."))
    else:
        messages.error(request, " ".join(form.errors.get("note", [])))
    return redirect(f"{reverse('shortlists:detail', args=[shortlist.pk])}#entry-{entry.pk}")


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    shortlist, entry = _entry(request, pk, entry_pk)
    name = entry.enterprise.name
    changes.remove(entry)
    messages.success(request, _("%(name)s removed from the shortlist.") % {"name": name})
    return redirect("shortlists:detail", pk=shortlist.pk)


@login_required
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    shortlist, rights = access.get_or_404(request.user, pk, need="manage")
    form = _share_form(request.user, request.POST)
    if not form.is_valid():
        return _render_detail(request, shortlist, rights, share_form=form, status=400)
    group, level = form.cleaned_data["group"], form.cleaned_data["level"]
    changes.share(shortlist, group, level)
    messages.success(request, _("Shared with %(group)s.") % {"group": group_label(group)})
    return redirect(f"{reverse('shortlists:detail', args=[shortlist.pk])}#sharing")


@login_required
@require_POST
def unshare(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    shortlist, _rights = access.get_or_404(request.user, pk, need="manage")
    group = get_object_or_404(Group, pk=group_pk)
    changes.unshare(shortlist, group)
    messages.success(request, _("No longer shared with %(group)s.") % {"group": group_label(group)})
    return redirect(f"{reverse('shortlists:detail', args=[shortlist.pk])}#sharing")


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _wants_json(request: HttpRequest) -> bool:
    """The "加入候选名单" script asks for JSON; the plain form gets pages and redirects."""
    return "application/json" in request.headers.get("Accept", "")


def _anchor(enterprise: Enterprise) -> str:
    """The id of the supplier's control on the page it came from, so that the redirect of the
    plain form lands where the reader was in a long list."""
    return f"shortlist-add-{enterprise.pk}"


def _added(user, enterprise: Enterprise, target: Shortlist, link: str, text: str) -> dict:
    names = (
        access.editable(user).filter(entries__enterprise=enterprise).values_list("name", flat=True)
    )
    return {
        "message": text,
        "shortlist": {"id": target.pk, "name": target.name, "url": link},
        "on": sorted(names),
    }


def _form_error(form: AddForm) -> JsonResponse:
    """The API's error shape for a refused addition (duplicate, full list, bad name)."""
    fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    general = fields.pop("__all__", [])
    message = " ".join(general or [e for errors in fields.values() for e in errors])
    body = {"error": {"code": "invalid", "message": message, "fields": fields}}
    return JsonResponse(body, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    """Put a supplier on a shortlist: an existing one the user may edit, or a new one.

    The include ``shortlists/add_button.html`` posts here; a GET (``?enterprise=``) shows the
    same form as a page, and an invalid post comes back to it with the errors.
    """
    user = request.user
    editable = access.editable(user).order_by("-updated", "-pk")
    may_create = access.can_create(user)
    if not may_create and not editable.exists():
        raise Http404("No shortlist to add to.")
    data = request.POST if request.method == "POST" else None
    form = AddForm(data, editable=editable, initial={"enterprise": request.GET.get("enterprise")})
    raw = request.POST.get("enterprise") or request.GET.get("enterprise")
    enterprise = policy.get_visible_or_404(Enterprise.objects.all(), user, pk=raw)
    if data is not None and form.is_valid():
        target = form.cleaned_data["shortlist"]
        try:
            if target == NEW:
                if not may_create:
                    raise PermissionDenied(_("Only procurement officers create shortlists."))
                name = " ".join(form.cleaned_data["new_name"].split())
                target = access.editable(user).filter(owner=user, name__iexact=name).first()
                target = target or changes.create(user, name)
            changes.add(user, target, enterprise, form.cleaned_data["note"])
        except changes.ShortlistError as error:
            form.add_error(None, str(error))
        else:
            link = reverse("shortlists:detail", args=[target.pk])
            text = _("%(name)s added to the shortlist “%(list)s”.") % {
                "name": enterprise.name,
                "list": target.name,
            }
            if _wants_json(request):
                return JsonResponse(_added(user, enterprise, target, link, text))
            messages.success(request, text)
            back = _next_url(request, "")
            return redirect(f"{back}#{_anchor(enterprise)}" if back else link)
    if data is not None and _wants_json(request):
        return _form_error(form)
    context = {
        "form": form,
        "enterprise": enterprise,
        "lists": editable,
        "may_create": may_create,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "shortlists/add.html", context, status=400 if form.errors else 200)


def _export_urls(shortlist: Shortlist, kind: str) -> dict[str, str]:
    args = [shortlist.pk]
    return {
        "download_url": reverse(f"shortlists:export_{kind}", args=args),
        "start_url": reverse(f"shortlists:export_{kind}_build", args=args),
        "status_url": reverse(f"shortlists:export_{kind}_status", args=args),
    }


def _request_export(request: HttpRequest, pk: int, kind: str):
    """The shortlist, what the exporter may see of it now, and their export of it (queued
    when missing or outdated; with eager Celery it is built by the time this returns)."""
    shortlist, _rights = access.get_or_404(request.user, pk)
    found = suppliers(request.user, shortlist)
    wanted = exports.fingerprint(shortlist, found)
    export = exports.request_export(request.user, shortlist, kind, wanted)
    export.refresh_from_db()
    return shortlist, found, export, wanted


def _serve(request: HttpRequest, shortlist: Shortlist, found, export, kind: str) -> HttpResponse:
    """The stored file, recorded in the audit per supplier as the download leaves."""
    action = f"classification.enterprise.exported_{kind}"
    for row in found.rows:
        audit.record_view(request.user, row.entry.enterprise, request, action=action)
    with export.file.open("rb") as stream:  # a few hundred kilobytes at most
        response = HttpResponse(stream.read(), content_type=exports.CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(True, f"{shortlist.name}.{kind}")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def export_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The export when it is built for what the reader sees now; otherwise a page (202) that
    shows the build's progress and offers the download when it is ready."""
    shortlist, found, export, wanted = _request_export(request, pk, kind)
    if export.is_ready and export.is_current(wanted):
        return _serve(request, shortlist, found, export, kind)
    context = {
        "shortlist": shortlist,
        "kind": kind,
        "label": ExportKind(kind).label,
        "status": builds.status(export, ""),
        **_export_urls(shortlist, kind),
    }
    response = render(request, "shortlists/export_pending.html", context, status=202)
    response["Retry-After"] = "2"
    return response


@login_required
@require_POST
def export_build(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Ask for the export (the export buttons post here). Scripts get the status as JSON;
    without JavaScript the form leads to the export page, which downloads or waits."""
    shortlist, _found, export, _wanted = _request_export(request, pk, kind)
    urls = _export_urls(shortlist, kind)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(builds.status(export, urls["download_url"]))
    return redirect(urls["download_url"])


@login_required
@require_safe
def export_status(request: HttpRequest, pk: int, kind: str) -> JsonResponse:
    """What the waiting page polls: a row read, no rendering."""
    shortlist, _rights = access.get_or_404(request.user, pk)
    export = exports.current(request.user, shortlist, kind)
    body = builds.status(export, _export_urls(shortlist, kind)["download_url"])
    return JsonResponse(body, headers={"Cache-Control": "private, no-store"})
