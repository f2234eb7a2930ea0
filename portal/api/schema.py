"""drf-spectacular hooks and extensions (imported by ``ApiConfig.ready``, which registers them)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


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
