"""Response headers every answer of the portal carries: CSP, Permissions-Policy, private caching.

Three middlewares, each one rule, listed in ``MIDDLEWARE`` (portal/settings/base.py):

- ``ContentSecurityPolicyMiddleware``: django-csp's middleware with two policies. The site's
  (``CONTENT_SECURITY_POLICY``) allows scripts and styles from our own origin only: the templates
  have no inline script, style block, style attribute or event handler. The Wagtail and Django
  admins (``ADMIN_CONTENT_SECURITY_POLICY``, for ``ADMIN_PATH_PREFIXES``) ship inline scripts and
  styles of their own that we do not control, so they get a looser policy that still keeps every
  other origin out. One subclass, decided by path, rather than a decorator per admin view:
  Wagtail's admin has hundreds of views and grows with every hook.
- ``PermissionsPolicyMiddleware``: browser features the portal never uses (camera, microphone,
  geolocation, payment, USB …) are switched off for the page and every frame in it.
- ``PrivateResponseMiddleware``: an answer that depends on who asks is never stored by a browser
  or a shared cache (see its docstring).
"""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

#: The attribute a view sets (through ``for_one_reader``) on an answer that carries what one
#: particular reader may see although the request itself is anonymous (a feed under a token).
READER_SPECIFIC = "reader_specific"
PRIVATE_CACHE_CONTROL = "private, no-store"


def is_admin_path(path: str) -> bool:
    """True for the Wagtail and Django admin, which get the looser policy."""
    return path.startswith(tuple(settings.ADMIN_PATH_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin policy for the admin paths."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` from the ``PERMISSIONS_POLICY`` setting (feature -> allowed
    origins; an empty list switches the feature off everywhere)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def for_one_reader(response: HttpResponseBase) -> HttpResponseBase:
    """Mark an answer that carries one reader's view although the request may be anonymous
    (a feed under a personal token): ``PrivateResponseMiddleware`` then keeps it out of caches."""
    setattr(response, READER_SPECIFIC, True)
    return response


def depends_on_reader(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the answer may differ with who asks: a signed-in user, an Authorization header
    (API tokens), or a view that marked its answer with ``for_one_reader``."""
    if "HTTP_AUTHORIZATION" in request.META or getattr(response, READER_SPECIFIC, False):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateResponseMiddleware:
    """``Cache-Control: private, no-store`` and ``Vary: Cookie`` (``Authorization`` too when the
    request had one) on every answer that depends on who asks.

    The rule is about the reader, not the content: whatever a signed-in user or a token holder
    is shown was chosen by the release policy for that reader (tiers above public, redaction,
    their own drafts and lists), so neither the browser's disk cache nor a proxy may keep it.
    An anonymous request for a public page is the same for everyone and keeps whatever caching
    its view chose. The only anonymous answers above the public tier are those under a personal
    token in the URL (feeds); their views mark them with ``for_one_reader``.

    A view that already said ``private`` and ``no-store`` (``never_cache``) keeps its header;
    portal/api may set the same values for tokens, which is no conflict.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not depends_on_reader(request, response):
            return response
        directives = {
            part.strip().split("=", 1)[0].lower()
            for part in response.get("Cache-Control", "").split(",")
        }
        if not {"private", "no-store"} <= directives:
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        response.headers.pop("Expires", None)
        vary = ["Cookie"]
        if "HTTP_AUTHORIZATION" in request.META:
            vary.append("Authorization")
        patch_vary_headers(response, vary)
        return response
