"""What a locked-out client sees (django-axes' ``AXES_LOCKOUT_CALLABLE``).

People get a page in their language; API clients get the API's JSON error shape.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {
            "error": {
                "code": "account_locked",
                "message": "Too many failed logins; try again in an hour.",
                "fields": {},
            }
        }
        return JsonResponse(body, status=429)
    return render(request, "accounts/locked_out.html", status=429)
