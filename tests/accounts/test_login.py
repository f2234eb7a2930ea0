"""Login, logout, password reset and the lockout after repeated failures (django-axes)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.accounts.models import User

PASSWORD = "Guangxi-2026-strong"


@pytest.fixture
def user(db):
    return User.objects.create_user("liuzhou_zb", "zb@example.cn", PASSWORD)


def login(client, password):
    return client.post(
        reverse("accounts:login"),
        {"username": "liuzhou_zb", "password": password},
        REMOTE_ADDR="10.1.2.3",
    )


def test_login_and_logout(client, user) -> None:
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405  # logout is POST only
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_wrong_password_shows_a_message(client, user) -> None:
    response = login(client, "not-the-password")
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()


def test_lockout_after_five_failures_even_with_the_right_password(client, user) -> None:
    for _ in range(5):
        login(client, "not-the-password")
    response = login(client, PASSWORD)
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()
    assert client.get(reverse("accounts:dashboard")).status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_password_reset_mail_and_new_password(client, user) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "zb@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    new_password = "Beibu-Gulf-2026-new"
    response = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
