"""Answers while PostgreSQL is unreachable: 503 with a clear message, never a 500.

A database restart (a failover, an upgrade, a crash) makes every query raise
``OperationalError`` or ``InterfaceError`` until it is back. A request caught in that moment
answers 503 with ``Retry-After``: a page in the site's frame saying the database is briefly
unavailable, rendered without a single query (no user, no session, no messages: the header
shows the signed-out links), or under /api/ the error shape with code ``unavailable``. The
portal needs no restart afterwards: ``CONN_HEALTH_CHECKS`` and Django's closing of a connection
that failed make the next request connect afresh.

Two ways in, because Django catches exceptions at every middleware layer: ``DatabaseOutage``
answers for an exception a view raised; ``portal.core.views.server_error`` (the 500 handler)
answers for one raised in a middleware, such as loading a signed-in user's session.
Deadlocks and statement timeouts are ``OperationalError`` too; "try again shortly" is the right
answer to them as well.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal.api.errors import error_body

from .context_processors import site_footer

logger = logging.getLogger("portal.outage")

#: What clients are told to wait before trying again (a restart takes seconds).
RETRY_AFTER_SECONDS = 30


def is_database_outage(exception: BaseException | None) -> bool:
    """Whether ``exception`` says the database cannot answer now (not a bug in a query)."""
    return isinstance(exception, (OperationalError, InterfaceError))


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503: the API's error shape under /api/, else the frame with the message, no query."""
    logger.warning("database unavailable: 503 for %s %s", request.method, request.path)
    if request.path.startswith("/api/"):
        message = _("The database is temporarily unavailable; please try again shortly.")
        response: HttpResponse = JsonResponse(error_body("unavailable", message), status=503)
    else:
        # A bare context (no context processors): the request context would load the user.
        context = {
            "request": request,
            "csrf_token": get_token(request),
            **site_footer(request),
        }
        response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # the warning above says it; no "Service Unavailable" error
    return response


class DatabaseOutage:
    """Turns a view's database outage into ``unavailable_response`` (listed right after
    ``ApiErrorShape``, so that its exception hook runs first)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            return unavailable_response(request)
        return None
