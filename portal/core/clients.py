"""The address of the client behind the proxies we trust: one rule for lockout and rate limits.

Behind the production TLS proxy every request arrives from the proxy's address. Each proxy
appends the address it received the request from to ``X-Forwarded-For``, so with
``TRUSTED_PROXY_COUNT`` = n proxies of our own in front of the application, the client is the
n-th address from the right of that header (the rightmost n - 1 are our inner proxies, and
``REMOTE_ADDR`` is the last one). Addresses further left were written by the client or by
proxies we do not run and can be forged; they are never read. With n = 0 (the default, no
proxy) the header is ignored altogether and ``REMOTE_ADDR`` is the client.

django-axes (``AXES_CLIENT_IP_CALLABLE``) and the search-term rate limit use this function;
Django REST framework's throttles read the same count (``NUM_PROXIES``) with the same rule.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address as our own proxies reported it, or ``REMOTE_ADDR``."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    # A request that passed fewer proxies than configured carries fewer hops: the leftmost is
    # then the best we know (Django REST framework's throttles do the same).
    return _valid(hops[-min(count, len(hops))]) or remote
