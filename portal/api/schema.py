"""drf-spectacular hooks and extensions (imported by ``ApiConfig.ready``, which registers
them): what the published contract covers, how token authentication reads, and the errors each
operation documents.

Every error of the API has one shape (``errors.ErrorSerializer``). Which statuses an operation
can answer follows from what it is, so ``PortalAutoSchema`` adds them from the view instead of
each view listing them by hand: any request may carry a bad token (401) or be throttled (429);
one that reads input can be refused (400); a body can be too large (413) or of the wrong type
(415); a path that names an item, or a page number, can name nothing the reader may see, and a
view for some roles only answers others as if it did not exist (404); a write in a browser
session needs its CSRF token, and a view with its own permission can refuse (403); a search
needs the engine (503).
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.permissions import AllowAny

from .errors import ERROR_MEANINGS, ErrorSerializer
from .pagination import MAX_PAGE_SIZE


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <secret>``, under the scheme name the schema has always used."""

    target_class = "portal.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )


def public_api_only(endpoints: list[tuple], **kwargs) -> list[tuple]:
    """Publish /api/v1/ only; Wagtail's admin API is an implementation detail of the admin."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


#: The paging parameters every list reads, as bounded as the API enforces them.
PAGING_BOUNDS = {
    "page": {"type": "integer", "minimum": 1},
    "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema with the error statuses each operation can answer, and paging
    parameters with their bounds."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            bounds = PAGING_BOUNDS.get(parameter["name"]) if parameter["in"] == "query" else None
            if bounds:
                parameter.setdefault("schema", {}).update(bounds)
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation.setdefault("responses", {})
        for status in sorted(self.error_statuses(operation)):
            responses.setdefault(
                str(status),
                {
                    "description": ERROR_MEANINGS[status],
                    "content": {"application/json": {"schema": error}},
                },
            )
        return operation

    def error_statuses(self, operation: dict) -> set[int]:
        statuses = {401, 429}
        parameters = operation.get("parameters", [])
        if "requestBody" in operation:
            statuses |= {400, 413, 415}
        if any(parameter["in"] == "query" for parameter in parameters):
            statuses.add(400)
        if any(parameter["in"] == "path" for parameter in parameters):
            statuses.add(404)
        if any(parameter["name"] == "page" for parameter in parameters):
            statuses.add(404)
        if getattr(self.view, "hides_itself", False):
            statuses.add(404)
        unsafe = self.method not in ("GET", "HEAD", "OPTIONS")
        if unsafe or not all(
            isinstance(permission, AllowAny) for permission in self.view.get_permissions()
        ):
            statuses.add(403)
        if getattr(self.view, "search_backed", False):
            statuses.add(503)
        return statuses
