"""Views of the site frame: the health probe, the accessibility statement, the error pages."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from portal.api.errors import status_error

from .health import run_checks
from .outage import is_database_outage, unavailable_response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when database, search engine and broker answer; 503 naming what is down."""
    services = run_checks()
    down = sorted(name for name, result in services.items() if result["status"] != "up")
    body = {"status": "down" if down else "ok", "down": down, "services": services}
    return JsonResponse(body, status=503 if down else 200)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """无障碍声明: what the portal does for readers with disabilities, what it does not yet do,
    and whom to tell (the contact of the footer, from the settings)."""
    return render(request, "core/accessibility.html")


def _error_response(request: HttpRequest, status: int) -> HttpResponse:
    """The API's JSON error shape under /api/, a page in the user's language elsewhere
    (``templates/<status>.html``)."""
    if request.path.startswith("/api/"):
        return JsonResponse(status_error(status), status=status)
    return render(request, f"{status}.html", status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when what failed is the database (raised in a middleware, where no view's
    exception hook sees it: portal/core/outage.py)."""
    if is_database_outage(sys.exc_info()[1]):
        return unavailable_response(request)
    return _error_response(request, 500)
