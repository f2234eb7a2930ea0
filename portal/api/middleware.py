"""Every answer under /api/ that is an error is the API's JSON error shape, in development too.

DRF shapes the errors its views raise (``errors.exception_handler``). This covers what never
reaches a view or escapes one: a path that matches no route (Django's 404 page in development),
a method a plain Django view refuses, an oversized form body, and an unexpected exception, which
is logged and answered with a JSON 500 instead of the debug page or the site's HTML error page.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from .errors import status_error

logger = logging.getLogger("portal.api")

API_PREFIX = "/api/"
#: Headers of the original answer that the JSON error keeps (what a client must act on).
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Cache-Control")


class ApiErrorShape:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            shaped = JsonResponse(status_error(response.status_code), status=response.status_code)
            for header in KEPT_HEADERS:
                if header in response:
                    shaped[header] = response[header]
            return shaped
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        status = _status_of(exception)
        if status is not None:
            return JsonResponse(status_error(status), status=status)
        logger.error("API error on %s %s", request.method, request.path, exc_info=exception)
        return JsonResponse(status_error(500), status=500)


def _status_of(exception: Exception) -> int | None:
    """The status Django itself would answer an exception with, None for a server error."""
    if isinstance(exception, Http404):
        return 404
    if isinstance(exception, PermissionDenied):
        return 403
    if isinstance(exception, RequestDataTooBig):
        return 413
    if isinstance(exception, SuspiciousOperation):
        return 400
    return None
