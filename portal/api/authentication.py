"""``Authorization: Token <secret>``: knox's hashed, expiring tokens, and the caching rule for them.

An answer to a request that carries a token is one user's data: no cache on the way (a proxy,
a browser's disk cache) may keep it or hand it to a request with another token. The headers
are set here, once, so that every view that accepts tokens sends them, errors included (an
expired token's 401 as much as a 200), without each view having to remember.
"""

from __future__ import annotations

from knox.auth import TokenAuthentication
from rest_framework.authentication import get_authorization_header
from rest_framework.request import Request

CACHE_CONTROL = "private, no-store"


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request):
        scheme = get_authorization_header(request).split(b" ", 1)[0]
        if scheme.lower() == self.authenticate_header(request).encode().lower():
            _mark_private(request)
        return super().authenticate(request)


def _mark_private(request: Request) -> None:
    """Have the view add the headers to whatever it answers.

    DRF's ``APIView.finalize_response`` applies ``view.headers`` to every response of the view,
    the exception handler's included, and merges ``Vary`` with what the response already has.
    """
    view = request.parser_context.get("view")
    if view is None or not hasattr(view, "headers"):
        return
    vary = view.headers.get("Vary")
    if not vary:
        view.headers["Vary"] = "Authorization"
    elif "authorization" not in vary.lower():
        view.headers["Vary"] = f"{vary}, Authorization"
    view.headers["Cache-Control"] = CACHE_CONTROL
