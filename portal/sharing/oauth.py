"""How an agency proves who it is: OAuth2 client credentials, checked against its client.

django-oauth-toolkit issues and validates the tokens; the pieces here make it read our
``SharingClient``: a revoked or expired client gets no token and its tokens stop working on the
next request (401), a client may ask only for its own scopes, and the feeds accept these tokens
only (a person's API token does not open them, nor an agency token anything else).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from .models import SCOPES, SharingClient


def client_of(application) -> SharingClient | None:
    """The sharing client of an OAuth2 application, if the application is one."""
    if application is None:
        return None
    try:
        return application.sharing
    except SharingClient.DoesNotExist:
        return None


class ClientScopes(BaseScopes):
    """A client may hold the scopes written on it, and only while it is in force."""

    def get_all_scopes(self) -> dict[str, str]:
        return {name: str(label) for name, label in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        client = client_of(application)
        if client is None or not client.in_force():
            return []
        return [scope for scope in client.scope_list if scope in SCOPES]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return self.get_available_scopes(application, request)


class SharingValidator(OAuth2Validator):
    """Client authentication fails for applications that are not sharing clients in force."""

    def authenticate_client(self, request, *args, **kwargs) -> bool:
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        client = client_of(request.client)
        return client is not None and client.in_force()


class SharingAuthentication(OAuth2Authentication):
    """A bearer token of a sharing client in force; anything else is 401."""

    def authenticate(self, request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        client = client_of(token.application)
        if client is None or not client.in_force():
            raise exceptions.AuthenticationFailed(_("This client has been revoked or has expired."))
        request.sharing_client = client
        return user, token


class HasScope(BasePermission):
    """The token carries the view's ``required_scope`` (403 otherwise, 401 without a token)."""

    message = _("This client's token does not carry the scope this endpoint needs.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or getattr(request, "sharing_client", None) is None:
            raise exceptions.NotAuthenticated(_("A data-sharing client's bearer token is needed."))
        return view.required_scope in token.scope.split()


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client (not per address: an agency may sit behind one gateway)."""

    scope = "sharing"

    def get_cache_key(self, request, view) -> str | None:
        client = getattr(request, "sharing_client", None)
        if client is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}


class SharingScheme(OpenApiAuthenticationExtension):
    """The feeds' security in the schema: OAuth2 client credentials with our scopes."""

    target_class = SharingAuthentication
    name = "agencyClientCredentials"

    def get_security_definition(self, auto_schema) -> dict[str, Any]:
        scopes = {name: str(label) for name, label in SCOPES.items()}
        return {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "/o/token/", "scopes": scopes}},
        }

    def get_security_requirement(self, auto_schema) -> dict[str, list[str]]:
        return {self.name: [auto_schema.view.required_scope]}


class ClientView(APIView):
    """An endpoint for data-sharing clients only: their bearer token, the view's
    ``required_scope``, and the per-client throttle."""

    authentication_classes = [SharingAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]
    required_scope = ""
