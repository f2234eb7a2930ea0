"""Clients of the agencies' feeds: registered through the service, tokens through /o/token/."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from django.test import Client

from portal.sharing import clients
from tests.notices.conftest import author, index, make_notice

__all__ = ["author", "index", "make_notice"]


def basic(client_id: str, secret: str) -> str:
    pair = f"{client_id}:{secret}".encode()
    return "Basic " + base64.b64encode(pair).decode()


def obtain_token(http: Client, client_id: str, secret: str, scope: str = "") -> dict:
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    response = http.post("/o/token/", data, HTTP_AUTHORIZATION=basic(client_id, secret))
    return {"status": response.status_code, **response.json()}


class Agency:
    """One registered client with a live token, pulling a feed page by page."""

    def __init__(self, http: Client, name: str, tier: str, scopes: str, **options) -> None:
        self.http = http
        self.client, self.secret = clients.register(name, f"{name}单位", tier, scopes, **options)
        self.token = ""

    def login(self) -> dict:
        answer = obtain_token(self.http, self.client.client_id, self.secret)
        self.token = answer.get("access_token", "")
        return answer

    def get(self, path: str, **params):
        return self.http.get(path, params, HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def pull(self, feed: str = "enterprises", since: str | None = None, limit: int = 200):
        params = {"limit": limit}
        if since is not None:
            params["since"] = since
        response = self.get(f"/api/v1/sharing/{feed}/changes/", **params)
        assert response.status_code == 200, response.content
        return response.json()

    def pull_all(self, feed: str = "enterprises", since: str | None = None, limit: int = 200):
        """Every page after ``since``: (results, the last cursor)."""
        results = []
        while True:
            page = self.pull(feed, since, limit)
            results += page["results"]
            since = page["next_cursor"]
            if not page["has_more"]:
                return results, since


@pytest.fixture
def agency(db) -> Callable[..., Agency]:
    """``agency(name, tier, scopes)``: a client in force with a token."""

    def make(
        name: str = "工信厅", tier: str = "registered", scopes: str = "enterprises:read", **options
    ) -> Agency:
        made = Agency(Client(), name, tier, scopes, **options)
        made.login()
        return made

    return make
