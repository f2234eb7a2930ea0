"""The client address behind our proxies (portal/core/clients.py): pure logic, no service."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from portal.core.clients import client_address


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.12"),  # no proxy of ours: the header is the client's word
        (1, "203.0.113.7", "203.0.113.7"),
        (2, "203.0.113.7, 10.0.0.11", "203.0.113.7"),
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.11", "203.0.113.7"),  # forged hop on the left
        (3, "203.0.113.7, 10.0.0.11", "203.0.113.7"),  # fewer hops than proxies: leftmost
        (1, "not-an-address", "10.0.0.12"),
        (1, "", "10.0.0.12"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, count, forwarded, expected) -> None:
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.12", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
