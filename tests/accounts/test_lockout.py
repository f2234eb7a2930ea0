"""Login lockout keyed to username + real client address, also behind our TLS proxies."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.accounts.models import User

PASSWORD = "Guangxi-2026-strong"
PROXY_1, PROXY_2 = "10.0.0.11", "10.0.0.12"
CLIENT_X, CLIENT_Y = "203.0.113.7", "198.51.100.23"

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(db) -> tuple[User, User]:
    return (
        User.objects.create_user("qinzhou_a", "a@example.cn", PASSWORD),
        User.objects.create_user("qinzhou_b", "b@example.cn", PASSWORD),
    )


def login(client, username: str, password: str, client_address: str, forwarded: str | None = None):
    """A login through two proxies: the header as proxy 2 receives it from proxy 1."""
    client.logout()
    hops = forwarded if forwarded is not None else f"{client_address}, {PROXY_1}"
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY_2,
        HTTP_X_FORWARDED_FOR=hops,
    )


def test_behind_two_proxies_lockout_follows_the_real_client(client, settings, accounts) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    for _ in range(4):
        assert login(client, "qinzhou_a", "wrong-password", CLIENT_X).status_code == 200
    assert login(client, "qinzhou_a", "wrong-password", CLIENT_X).status_code == 429

    locked = login(client, "qinzhou_a", PASSWORD, CLIENT_X)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "账户已暂时锁定" in html
    assert "从您当前的网络地址登录已被锁定一小时" in html
    assert reverse("accounts:password_reset") in html

    # Same account, another client behind the same proxies: not locked.
    assert login(client, "qinzhou_a", PASSWORD, CLIENT_Y).status_code == 302
    # Another account from the locked client: not locked.
    assert login(client, "qinzhou_b", PASSWORD, CLIENT_X).status_code == 302


def test_a_forged_leftmost_address_does_not_escape_the_lock(client, settings, accounts) -> None:
    """Addresses left of what our proxies wrote come from the client and are not read."""
    settings.TRUSTED_PROXY_COUNT = 2
    for n in range(5):
        forged = f"192.0.2.{n}, {CLIENT_X}, {PROXY_1}"
        login(client, "qinzhou_a", "wrong-password", CLIENT_X, forwarded=forged)
    forged = f"192.0.2.99, {CLIENT_X}, {PROXY_1}"
    assert login(client, "qinzhou_a", PASSWORD, CLIENT_X, forwarded=forged).status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(client, settings, accounts) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        login(client, "qinzhou_a", "wrong-password", CLIENT_X, forwarded=f"192.0.2.{n}")
    # Every attempt counted against REMOTE_ADDR, whatever the header claimed.
    response = login(client, "qinzhou_a", PASSWORD, CLIENT_Y, forwarded=CLIENT_Y)
    assert response.status_code == 429


def test_api_lockout_answers_in_the_error_shape(client, settings, accounts) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    url = reverse("api:token")
    for _ in range(5):
        client.post(
            url,
            {"username": "qinzhou_a", "password": "wrong-password"},
            REMOTE_ADDR=PROXY_2,
            HTTP_X_FORWARDED_FOR=f"{CLIENT_X}, {PROXY_1}",
        )
    response = client.post(
        url,
        {"username": "qinzhou_a", "password": PASSWORD},
        REMOTE_ADDR=PROXY_2,
        HTTP_X_FORWARDED_FOR=f"{CLIENT_X}, {PROXY_1}",
    )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "account_locked"


def test_a_new_password_lifts_the_lock(client, settings, accounts) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    user = accounts[0]
    for _ in range(5):
        login(client, "qinzhou_a", "wrong-password", CLIENT_X)
    assert login(client, "qinzhou_a", PASSWORD, CLIENT_X).status_code == 429

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = reverse("accounts:password_reset_confirm", args=[uid, token])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "Beibu-Gulf-2026-new"
    response = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    assert login(client, "qinzhou_a", new_password, CLIENT_X).status_code == 302
