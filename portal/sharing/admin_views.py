"""Administrators' pages for data-sharing clients in the Wagtail admin.

The list of clients with their state, a client's page (terms, scopes, what was shared and
when), and the actions: register (the secret is shown once), edit, rotate the secret, revoke.
Only superusers (administrators) open them; Wagtail turns the refusal of anyone else into a
redirect to the dashboard with a message, as for its own views.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import clients
from .forms import ClientForm
from .models import SharingClient


def administrator_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@administrator_required
def index(request: HttpRequest) -> HttpResponse:
    rows = SharingClient.objects.select_related("application").annotate(
        pulls=Count("exchanges"),
        records=Sum("exchanges__record_count"),
        last_exchange=Max("exchanges__at"),
    )
    return render(request, "sharing/admin/index.html", {"clients": rows})


@administrator_required
def add(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, secret = clients.register(
                data["name"],
                data["agency"],
                data["ceiling"],
                data["scope_choices"],
                expires_on=data["expires_on"],
                terms=data["terms"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request, "sharing/admin/secret.html", {"client": client, "secret": secret}
            )
    return render(request, "sharing/admin/form.html", {"form": form, "client": None})


@administrator_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(SharingClient.objects.select_related("application"), pk=pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            client = form.save(commit=False)
            client.scopes = clients.clean_scopes(form.cleaned_data["scope_choices"])
            client.save()
            clients.apply_ceiling(client)
        messages.success(request, _("The client has been saved."))
        return redirect("sharing_client", pk=client.pk)
    exchanges = Paginator(client.exchanges.all(), 50).get_page(request.GET.get("p"))
    return render(
        request,
        "sharing/admin/form.html",
        {"form": form, "client": client, "exchanges": exchanges},
    )


@administrator_required
@require_POST
def rotate(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(SharingClient, pk=pk)
    if not client.in_force():
        messages.error(request, _("A revoked or expired client gets no new secret."))
        return redirect("sharing_client", pk=pk)
    secret = clients.rotate(client)
    return render(request, "sharing/admin/secret.html", {"client": client, "secret": secret})


@administrator_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(SharingClient, pk=pk)
    clients.revoke(client)
    messages.success(request, _("The client has been revoked; its tokens no longer work."))
    return redirect("sharing_client", pk=pk)


urlpatterns = [
    path("", index, name="sharing_clients"),
    path("add/", add, name="sharing_client_add"),
    path("<int:pk>/", detail, name="sharing_client"),
    path("<int:pk>/rotate/", rotate, name="sharing_client_rotate"),
    path("<int:pk>/revoke/", revoke, name="sharing_client_revoke"),
]
