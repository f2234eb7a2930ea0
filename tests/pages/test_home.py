"""The home page: Wagtail-served, Chinese first with an English switch, accessible frame."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.pages.models import HomePage
from tests.factories import authenticator, current_code


@pytest.mark.django_db
def test_home_page_is_the_site_root_and_renders_in_chinese(client) -> None:
    home = HomePage.objects.get()
    assert home.url == "/"
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "军民融合供需对接平台" in html
    assert "企业名录" in html and "供需信息" in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<nav" in html and 'aria-label="主导航"' in html


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Supplier directory" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "企业名录" in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client, django_user_model) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    # A restricted item is 404 too: the visitor is offered the login, coming back here after it.
    assert 'href="/accounts/login/?next=/no-such-page/"' in html
    assert "部分页面仅对已登录或已认证的用户显示" in html
    client.force_login(django_user_model.objects.create_user("reader", "r@example.cn", "x-2026-pw"))
    assert "/accounts/login/?next=" not in client.get("/no-such-page/").content.decode()


@pytest.mark.django_db
def test_wagtail_admin_login_page_renders(client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_login_works_for_staff(client, django_user_model) -> None:
    """The admin's own login page leads on to the same code step as the site's."""
    root = django_user_model.objects.create_superuser("root", "root@example.cn", "Root-2026-strong")
    device = authenticator(root)
    response = client.post(
        "/admin/login/", {"username": "root", "password": "Root-2026-strong"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("accounts:mfa_verify") + "?next=%2Fadmin%2F"
    response = client.post(
        reverse("accounts:mfa_verify"), {"code": current_code(device), "next": "/admin/"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"
