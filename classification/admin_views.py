"""The classification officers' pages in the Wagtail admin.

An item's release page (tier, field tiers, targeted grants), the access-request queue and the
access log with filters and a CSV export. Wagtail's admin URLs already require admin access;
each view here also requires a classification officer (or superuser) and answers 403 otherwise,
as Wagtail's own permission-checked views do.
"""

from __future__ import annotations

import csv
from datetime import datetime, time
from functools import wraps

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from . import changes, policy, requests
from .forms import DecisionForm, GrantForm, LogFilterForm, TierForm
from .models import AccessLog, AccessRequest, RequestStatus
from .views import classified_model


def officer_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not policy.is_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _item_url(obj) -> str:
    from django.urls import reverse

    meta = obj._meta
    return reverse("classification_item", args=[meta.app_label, meta.model_name, obj.pk])


@officer_required
def index(request: HttpRequest) -> HttpResponse:
    """Open an item's release page by model and id."""
    choices = [(m._meta.label_lower, m._meta.verbose_name) for m in policy.classified_models()]
    label, pk = request.GET.get("model", ""), request.GET.get("pk", "").strip()
    error = ""
    if label and pk:
        try:
            app_label, model = label.split(".", 1)
            obj = classified_model(app_label, model)._default_manager.get(pk=int(pk))
        except (ValueError, Http404, ObjectDoesNotExist):
            error = _("No such item.")
        else:
            return redirect(_item_url(obj))
    pending = AccessRequest.objects.filter(status=RequestStatus.PENDING).count()
    return render(
        request,
        "classification/admin/index.html",
        {"choices": choices, "error": error, "pending": pending, "label": label, "pk": pk},
    )


@officer_required
def item(request: HttpRequest, app_label: str, model: str, pk: int) -> HttpResponse:
    """An item's tier, field tiers and grants; every change is logged by ``changes``."""
    model_class = classified_model(app_label, model)
    obj = get_object_or_404(model_class._default_manager, pk=pk)
    decl = policy.declaration(model_class)
    names = requests.sensitive_fields(obj)
    fields = [
        (name, requests.field_label(model_class, name), decl.field_tiers.get(name, obj.tier))
        for name in names
    ]
    initial = {"tier": obj.tier} | {
        f"field__{name}": tier for name, tier in (obj.field_tiers or {}).items()
    }
    action = request.POST.get("action")
    tier_form = TierForm(request.POST if action == "tier" else None, fields=fields, initial=initial)
    grant_form = GrantForm(request.POST if action == "grant" else None)
    try:
        if action == "tier" and tier_form.is_valid():
            changes.set_tier(
                request.user, obj, tier_form.cleaned_data["tier"], tier_form.field_tiers(), request
            )
            messages.success(request, _("The release settings were saved."))
            return redirect(request.path)
        if action == "grant" and grant_form.is_valid():
            data = grant_form.cleaned_data
            changes.grant(
                request.user,
                obj,
                data["principal"],
                data["valid_until"],
                request,
                reason=data.get("reason") or "",
            )
            messages.success(request, _("Access granted."))
            return redirect(request.path)
        if action == "revoke":
            row = changes.find_grant(obj, request.POST.get("grant", ""))
            if row is None:
                raise Http404
            changes.revoke_grant(request.user, row, request)
            messages.success(request, _("Access revoked."))
            return redirect(request.path)
    except ValidationError as error:
        form = tier_form if action == "tier" else grant_form
        form.add_error(None, error.messages[0] if error.messages else str(error))
    content_type = ContentType.objects.get_for_model(model_class)
    grants = [{"row": row, "key": changes.principal_label(row)} for row in changes.grants_of(obj)]
    log = AccessLog.objects.filter(content_type=content_type, object_id=obj.pk).select_related(
        "user"
    )[:20]
    return render(
        request,
        "classification/admin/item.html",
        {
            "item": obj,
            "meta": model_class._meta,
            "tier_form": tier_form,
            "grant_form": grant_form,
            "grants": grants,
            "log": log,
            "now": timezone.now(),
        },
        status=400 if action and (tier_form.errors or grant_form.errors) else 200,
    )


@officer_required
def request_queue(request: HttpRequest) -> HttpResponse:
    """Pending access requests, oldest first, each with its decision form."""
    rows = AccessRequest.objects.filter(status=RequestStatus.PENDING).select_related(
        "user", "content_type"
    )
    page = Paginator(rows.order_by("created_at"), 20).get_page(request.GET.get("p"))
    forms = {row.pk: DecisionForm(prefix=f"r{row.pk}") for row in page.object_list}
    return render(
        request,
        "classification/admin/requests.html",
        {"page": page, "forms": forms, "elided_page_range": _pages(page)},
    )


def _pages(page):
    return page.paginator.get_elided_page_range(page.number)


@officer_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(AccessRequest, pk=pk)
    if request.method != "POST":
        return redirect("classification_requests")
    form = DecisionForm(request.POST, prefix=f"r{row.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                requests.approve(request.user, row, data["valid_until"], data["reason"], request)
                messages.success(request, _("The request was approved."))
            else:
                requests.deny(request.user, row, data["reason"], request)
                messages.success(request, _("The request was denied."))
        except ValidationError as error:
            messages.error(request, error.messages[0] if error.messages else str(error))
        return redirect("classification_requests")
    page = Paginator([row], 1).get_page(1)
    return render(
        request,
        "classification/admin/requests.html",
        {"page": page, "forms": {row.pk: form}},
        status=400,
    )


def filtered_log(form: LogFilterForm):
    rows = AccessLog.objects.select_related("user", "content_type")
    if not form.is_valid():
        return rows.none()
    data = form.cleaned_data
    if data.get("user"):
        who = data["user"].strip()
        rows = rows.filter(Q(user__username=who) | Q(user__email__iexact=who))
    if data.get("item"):
        app_label, model, pk = data["item"]
        rows = rows.filter(
            content_type__app_label=app_label, content_type__model=model, object_id=pk
        )
    if data.get("action"):
        rows = rows.filter(action__startswith=data["action"].strip())
    zone = timezone.get_current_timezone()
    if data.get("date_from"):
        rows = rows.filter(created_at__gte=datetime.combine(data["date_from"], time.min, zone))
    if data.get("date_to"):
        rows = rows.filter(created_at__lte=datetime.combine(data["date_to"], time.max, zone))
    return rows


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = ["time", "user", "action", "item_type", "item_id", "item", "ip", "user_agent"]

    def lines():
        yield "\ufeff" + writer.writerow(header)  # BOM: Excel opens the Chinese correctly
        for entry in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                    entry.user.username if entry.user else "",
                    entry.action,
                    ".".join(entry.content_type.natural_key()) if entry.content_type else "",
                    entry.object_id or "",
                    entry.object_repr,
                    entry.ip or "",
                    entry.user_agent,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response


@officer_required
def access_log(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    rows = (
        filtered_log(form)
        if request.GET
        else AccessLog.objects.select_related("user", "content_type")
    )
    if request.GET.get("format") == "csv":
        return _csv_response(rows)
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    query.pop("format", None)
    return render(
        request,
        "classification/admin/log.html",
        {"form": form, "page": page, "query": query.urlencode(), "elided_page_range": _pages(page)},
    )


urlpatterns = [
    path("", index, name="classification_index"),
    path("item/<slug:app_label>/<slug:model>/<int:pk>/", item, name="classification_item"),
    path("requests/", request_queue, name="classification_requests"),
    path("requests/<int:pk>/decide/", decide, name="classification_decide"),
    path("log/", access_log, name="classification_log"),
]
