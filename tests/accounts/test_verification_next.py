"""A newcomer lands where sign-up started: ``next`` rides from the sign-up form through the
verification e-mail to the verify link, checked at each end."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.core import mail
from django.urls import reverse

from portal.accounts.models import User

PASSWORD = "Guangxi-2026-strong"
WIZARD = "/enterprises/register/"


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """Sign up with ``next``; the verification mail leaves on commit, as in production."""

    def post(next_url: str):
        with django_capture_on_commit_callbacks(execute=True):
            return _post(client, next_url)

    return post


def _post(client, next_url: str):
    data = {
        "username": "newcomer",
        "email": "newcomer@nnbd.example.cn",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "next": next_url,
    }
    return client.post(reverse("accounts:signup"), data)


def mailed_link() -> str:
    """The verification link of the one mail sent, as a path with its query."""
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/verify/\S+)", message.body).group(1)
    return link


@pytest.mark.django_db
def test_the_link_lands_a_signed_in_newcomer_in_the_wizard(client, sign_up) -> None:
    response = sign_up(WIZARD)
    assert response["Location"] == WIZARD
    link = mailed_link()
    assert unquote(link).endswith(f"?next={WIZARD}")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == WIZARD
    assert User.objects.get(username="newcomer").email_verified
    # Verified, the wizard's start moves on to its first step.
    assert client.get(WIZARD)["Location"] == reverse("enterprises:register_basics")


@pytest.mark.django_db
def test_in_another_browser_the_link_goes_through_the_login_to_next(client, sign_up) -> None:
    sign_up(WIZARD)
    link = mailed_link()
    client.logout()
    response = client.get(link)
    assert response.status_code == 302
    assert unquote(response["Location"]) == f"{reverse('accounts:login')}?next={WIZARD}"


@pytest.mark.django_db
def test_an_off_site_next_never_reaches_the_mail_or_the_redirect(client, sign_up) -> None:
    sign_up("https://evil.example.com/")
    link = mailed_link()
    assert "next" not in link and "evil" not in mail.outbox[0].body
    # An edited link is checked again at the verify end.
    response = client.get(link + "?next=https://evil.example.com/")
    assert response["Location"] == reverse("accounts:dashboard")


@pytest.mark.django_db
def test_without_next_the_link_leads_to_the_dashboard(client, sign_up) -> None:
    sign_up("")
    link = mailed_link()
    assert "next" not in link
    assert client.get(link)["Location"] == reverse("accounts:dashboard")


@pytest.mark.django_db
def test_home_page_sends_enterprise_newcomers_to_sign_up_with_the_wizard_next(client) -> None:
    home = client.get("/").content.decode()
    assert f'href="{reverse("accounts:signup")}?next={WIZARD}"' in home
    page = client.get(reverse("accounts:signup"), {"next": WIZARD}).content.decode()
    assert f'name="next" value="{WIZARD}"' in page
