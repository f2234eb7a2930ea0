"""Sign-up with e-mail verification, resend, and the roles created by migration."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from portal.accounts import roles
from portal.accounts.models import User
from portal.accounts.tokens import make_verification_token

PASSWORD = "Guangxi-2026-strong"


def sign_up(client, username="nanning_beidou", email="ops@nnbd.example.cn", **extra):
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    data.update(extra)
    return client.post(reverse("accounts:signup"), data)


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/verify/\S+/", message.body).group(0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sign_up_sends_verification_mail_and_link_verifies(client) -> None:
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(username="nanning_beidou")
    assert not user.email_verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@nnbd.example.cn"]
    assert "验证" in message.subject
    assert message.alternatives and message.alternatives[0][1] == "text/html"

    path = link_in(message).split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified


@pytest.mark.django_db
def test_duplicate_email_is_refused_case_insensitively(client) -> None:
    User.objects.create_user("existing", "ops@nnbd.example.cn", PASSWORD)
    response = sign_up(client, email="OPS@nnbd.example.cn")
    assert response.status_code == 200
    assert "该电子邮箱已注册账户" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_weak_or_mismatched_password_is_explained(client) -> None:
    response = sign_up(client, password1="12345678", password2="12345678")
    assert response.status_code == 200
    assert not User.objects.exists()
    assert 'class="error"' in response.content.decode()


@pytest.mark.django_db
def test_html_in_fields_is_escaped_not_executed(client) -> None:
    response = sign_up(client, username="<script>alert(1)</script>")
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert not User.objects.exists()


@pytest.mark.django_db
def test_tampered_or_stale_link_is_refused(client) -> None:
    user = User.objects.create_user("u1", "u1@example.cn", PASSWORD)
    token = make_verification_token(user)
    assert client.get(reverse("accounts:verify_email", args=[token + "x"])).status_code == 400
    user.email = "other@example.cn"
    user.save()
    assert client.get(reverse("accounts:verify_email", args=[token])).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_resend_answers_the_same_for_unknown_addresses(client) -> None:
    User.objects.create_user("u2", "u2@example.cn", PASSWORD)
    for email in ("u2@example.cn", "nobody@example.cn"):
        response = client.post(reverse("accounts:resend_verification"), {"email": email})
        assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["u2@example.cn"]]


@pytest.mark.django_db
def test_role_groups_exist_and_admin_roles_may_enter_the_admin() -> None:
    assert set(Group.objects.filter(name__in=roles.ROLES).values_list("name", flat=True)) == set(
        roles.ROLES
    )
    access = Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    for name in roles.ROLES:
        has_access = Group.objects.get(name=name).permissions.filter(pk=access.pk).exists()
        assert has_access == (name in roles.ADMIN_ROLES)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sign_up_makes_an_enterprise_user_and_returns_to_next(client) -> None:
    response = sign_up(client, next="/notices/?kind=demand")
    assert response.status_code == 302 and response["Location"] == "/notices/?kind=demand"
    user = User.objects.get(username="nanning_beidou")
    assert roles.ENTERPRISE in roles.role_names(user)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sign_up_refuses_to_redirect_off_site(client) -> None:
    response = sign_up(client, next="https://evil.example.com/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:dashboard")


@pytest.mark.django_db
def test_sign_up_page_carries_next_and_login_links_back(client) -> None:
    page = client.get(reverse("accounts:signup"), {"next": "/suppliers/?q=北斗"}).content.decode()
    assert 'name="next" value="/suppliers/?q=北斗"' in page
    login = client.get(reverse("accounts:login"), {"next": "/notices/"}).content.decode()
    assert reverse("accounts:signup") + "?next=/notices/" in login
