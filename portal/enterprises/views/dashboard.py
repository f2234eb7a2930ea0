"""The owner's dashboard: their profiles, each with its state and what to do next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..workflow import open_version


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    enterprises = list(request.user.enterprises.select_related("region").order_by("name"))
    rows = [{"enterprise": e, "open_version": open_version(e)} for e in enterprises]
    return render(request, "enterprises/dashboard.html", {"rows": rows})
