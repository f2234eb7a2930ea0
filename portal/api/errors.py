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


class ErrorDetailSerializer(serializers.Serializer):
    """`code` for programs, `message` for people, `fields` per field on invalid input."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.JSONField())


class ErrorSerializer(serializers.Serializer):
    """Every API error has this shape, whatever the status."""

    error = ErrorDetailSerializer()


_ERROR_MEANINGS = {
    400: "Invalid input; `fields` names each field's problems.",
    401: "No token, or an invalid, revoked or expired one (`WWW-Authenticate: Token`).",
    403: "Authenticated, but not allowed.",
    404: "Not found, or not visible to you.",
    429: "Too many requests, or too many failed logins (`Retry-After` when throttled).",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """A view's error responses for the OpenAPI schema (``extend_schema(responses=...)``), so
    that clients generated from the schema know the one error shape."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=_ERROR_MEANINGS[code])
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
