"""API tokens on the account pages, and the page flows that end them: the password change page,
the reset link from the e-mail, and the Wagtail admin's user form."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts import api_tokens
from portal.accounts.models import User
from portal.accounts.roles import PROCUREMENT, REVIEWER
from tests.factories import EnterpriseFactory, login_verified

PASSWORD = "Guangxi-2026-strong"
NEW_PASSWORD = "Beibu-Gulf-2026-new"


@pytest.fixture
def user(db) -> User:
    user = User.objects.create_user("liuzhou_zb", "zb@example.cn", PASSWORD)
    user.groups.add(Group.objects.get(name=PROCUREMENT))
    return user


@pytest.fixture
def other(db) -> User:
    return User.objects.create_user("other", "other@example.cn", PASSWORD)


def works(secret: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api.get("/api/v1/me/").status_code == 200


def csrf_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


# The account page


def test_dashboard_lists_own_tokens_with_a_revoke_form_each(user, other) -> None:
    first, _ = api_tokens.issue(user)
    second, _ = api_tokens.issue(user)
    theirs, _ = api_tokens.issue(other)
    client = csrf_client(user)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "API 令牌" in html
    for token in (first, second):
        assert token.token_key in html
        action = reverse("accounts:revoke_api_token", args=[token.token_key])
        form = re.search(rf'<form method="post" action="{action}"[^>]*>(.*?)</form>', html, re.S)
        assert form and "csrfmiddlewaretoken" in form.group(1) and "撤销" in form.group(1)
    assert theirs.token_key not in html
    assert "您还没有 API 令牌。" not in html
    assert reverse("accounts:password_change") in html


def test_dashboard_without_tokens_shows_the_empty_state(user) -> None:
    client = csrf_client(user)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "API 令牌" in html
    assert "您还没有 API 令牌。" in html
    assert "30 天" in html  # the lifetime, from API_TOKEN_TTL_DAYS


def test_dashboard_in_english(user) -> None:
    client = csrf_client(user)
    html = client.get(reverse("accounts:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "API tokens" in html and "You have no API tokens." in html


def test_revoking_on_the_account_page(user, other) -> None:
    token, secret = api_tokens.issue(user)
    _keep, keep = api_tokens.issue(user)
    theirs, their_secret = api_tokens.issue(other)
    client = csrf_client(user)
    csrf = csrf_token_in(client.get(reverse("accounts:dashboard")).content.decode())
    url = reverse("accounts:revoke_api_token", args=[token.token_key])

    assert client.post(url).status_code == 403  # no CSRF token
    assert works(secret)
    assert client.get(url).status_code == 405

    response = client.post(url, {"csrfmiddlewaretoken": csrf}, follow=True)
    assert response.status_code == 200
    assert f"API 令牌 {token.token_key} 已撤销。" in response.content.decode()
    assert not works(secret)
    assert works(keep)

    foreign = reverse("accounts:revoke_api_token", args=[theirs.token_key])
    assert client.post(foreign, {"csrfmiddlewaretoken": csrf}).status_code == 404
    assert works(their_secret)
    assert client.post(url, {"csrfmiddlewaretoken": csrf}).status_code == 404  # already gone


# The password change page


def test_password_change_page_needs_login(client, db) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_page_ends_tokens_and_keeps_the_session(user, other) -> None:
    _token, secret = api_tokens.issue(user)
    _token, their_secret = api_tokens.issue(other)
    client = csrf_client(user)
    page = client.get(reverse("accounts:password_change"))
    html = page.content.decode()
    assert "修改密码" in html and "API 令牌" in html
    csrf = csrf_token_in(html)

    wrong = client.post(
        reverse("accounts:password_change"),
        {"csrfmiddlewaretoken": csrf, "old_password": "not-it",
         "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )  # fmt: skip
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["old_password"]
    assert works(secret)

    response = client.post(
        reverse("accounts:password_change"),
        {"csrfmiddlewaretoken": csrf, "old_password": PASSWORD,
         "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == reverse("accounts:dashboard")
    assert "全部 API 令牌均已失效" in response.content.decode()
    assert not works(secret)
    assert works(their_secret)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:dashboard")).status_code == 200  # still logged in


# The reset link from the e-mail


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_password_reset_through_the_mailed_link_ends_tokens(client, user) -> None:
    _token, secret = api_tokens.issue(user)
    response = client.post(reverse("accounts:password_reset"), {"email": "zb@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    set_password_url = response.redirect_chain[-1][0]
    assert works(secret)  # asking for the link changes nothing yet
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert not works(secret)


# The Wagtail admin's user form


@pytest.fixture
def admin_client(db) -> Client:
    admin = User.objects.create_superuser("root", "root@example.cn", "Admin-2026-strong")
    client = Client()
    login_verified(client, admin)
    return client


def admin_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name or "Zhibiao",
        "last_name": user.last_name or "Liu",
        "is_active": "on",
        "groups": [group.pk for group in user.groups.filter(enterprise__isnull=True)],
        "password1": "",
        "password2": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def save_in_admin(client: Client, user: User, **changes) -> None:
    response = client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]), admin_form(user, **changes)
    )
    assert response.status_code == 302, response.context["form"].errors


def test_admin_form_saved_unchanged_keeps_tokens_of_an_owner(admin_client, user) -> None:
    EnterpriseFactory(owners=[user])
    _token, secret = api_tokens.issue(user)
    save_in_admin(admin_client, user, first_name="Zhang")
    assert works(secret)
    assert user.groups.filter(enterprise__isnull=False).exists()  # ownership kept


def test_admin_password_change_ends_tokens(admin_client, user) -> None:
    _token, secret = api_tokens.issue(user)
    save_in_admin(admin_client, user, password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert not works(secret)


def test_admin_deactivation_ends_tokens(admin_client, user) -> None:
    _token, secret = api_tokens.issue(user)
    save_in_admin(admin_client, user, is_active=None)
    user.is_active = True
    user.save()
    assert not works(secret)


def test_admin_role_removal_ends_tokens_and_adding_one_does_not(admin_client, user) -> None:
    procurement = Group.objects.get(name=PROCUREMENT)
    reviewer = Group.objects.get(name=REVIEWER)
    _token, secret = api_tokens.issue(user)
    save_in_admin(admin_client, user, groups=[procurement.pk, reviewer.pk])
    assert works(secret)
    save_in_admin(admin_client, user, groups=[reviewer.pk])
    assert not works(secret)
