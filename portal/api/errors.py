"""Every API error as ``{"error": {"code", "message", "fields"}}``.

DRF's own handler decides the status and headers (``Retry-After`` on throttling); this one only
reshapes the body, so that clients parse a single error shape whatever went wrong.
"""

from __future__ import annotations

from typing import Any

from axes.exceptions import AxesBackendPermissionDenied
from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


#: HTTP status -> (error code, message) of an answer that reached no view's own error.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Bad request."),
    401: ("not_authenticated", "Authentication credentials were not provided."),
    403: ("permission_denied", "Forbidden."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    406: ("not_acceptable", "Not acceptable."),
    413: ("too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Unsupported media type."),
    429: ("throttled", "Too many requests."),
    500: ("server_error", "Server error."),
    503: ("unavailable", "Service unavailable."),
}


def status_error(status_code: int) -> dict[str, Any]:
    """The error body for a bare HTTP status (any 4xx/5xx, a known one by name)."""
    default = ("client_error", "Client error.") if status_code < 500 else STATUS_ERRORS[500]
    return error_body(*STATUS_ERRORS.get(status_code, default))


class ErrorDetailSerializer(serializers.Serializer):
    """`code` for programs, `message` for people, `fields` per field on invalid input."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.JSONField())


class ErrorSerializer(serializers.Serializer):
    """Every API error has this shape, whatever the status."""

    error = ErrorDetailSerializer()


#: What each error status means, as the schema describes it.
ERROR_MEANINGS = {
    400: "Invalid input; `fields` names each field's problems.",
    401: "No token, or an invalid, revoked or expired one (`WWW-Authenticate: Token`).",
    403: "Not allowed: the CSRF token is missing from a session write, or the role lacks it.",
    404: "Not found, or not visible to you; or no such page of results.",
    413: "The request body is too large.",
    415: "The request body is not of a supported media type.",
    429: "Too many requests, or too many failed logins (`Retry-After` when throttled).",
    503: "The search engine is unavailable; try again shortly.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """A view's error responses for the OpenAPI schema (``extend_schema(responses=...)``), so
    that clients generated from the schema know the one error shape. ``PortalAutoSchema`` adds
    the statuses every operation of its kind can answer; this names them where a view says
    more (what its 400 means)."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_MEANINGS[code])
        for code in statuses
    }


def _flatten(detail: Any) -> Any:
    """Turn DRF's ErrorDetail trees into plain strings and lists."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, AxesBackendPermissionDenied):
        return Response(
            error_body("account_locked", "Too many failed logins; try again later."),
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        message = "Invalid input."
        non_field = fields.get("non_field_errors")
        if non_field:
            message = non_field[0] if isinstance(non_field, list) else str(non_field)
        response.data = error_body("invalid", message, fields)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = exc.get_codes() if not isinstance(detail, (dict, list)) else exc.default_code
        message = str(detail) if not isinstance(detail, (dict, list)) else str(exc.default_detail)
        response.data = error_body(str(code), message)
    return response
