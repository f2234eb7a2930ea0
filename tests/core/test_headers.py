"""Response headers: CSP and Permissions-Policy everywhere, private caching for reader answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories import UserFactory, login_verified

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/notices/", "/papers/", "/accounts/login/", "/accounts/signup/"]
)
def test_site_pages_carry_a_strict_csp_and_permissions_policy(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


@pytest.mark.django_db
def test_admin_gets_its_own_looser_policy(client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["frame-ancestors"] == ["'self'"]  # page previews frame the site
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_admin_pages_make_no_request_to_gravatar(client) -> None:
    staff = UserFactory(username="editor_gx", is_staff=True, is_superuser=True)
    login_verified(client, staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "gravatar" not in html.lower()


@pytest.mark.django_db
def test_api_docs_run_without_inline_script(client) -> None:
    html = client.get("/api/v1/docs/").content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert "<style" not in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_anonymous_public_page_stays_cacheable(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert not {"private", "no-store"} & cache_directives(response)


@pytest.mark.django_db
def test_signed_in_page_is_private_and_varies_on_cookie(client) -> None:
    client.force_login(UserFactory(username="beihai_reader"))
    for path in ("/", "/accounts/", "/notices/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert cache_directives(response) >= {"private", "no-store"}, path
        assert "cookie" in vary(response), path
        assert "authorization" not in vary(response), path


@pytest.mark.django_db
def test_api_answer_with_authorization_is_private_and_varies_on_it(client) -> None:
    """Whatever the token scheme says about it, a request that carried credentials gets an
    answer no cache keeps."""
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert response.status_code == 401
    assert cache_directives(response) >= {"private", "no-store"}
    assert {"cookie", "authorization"} <= vary(response)


@pytest.mark.django_db
def test_signed_in_api_answer_is_private(client) -> None:
    client.force_login(UserFactory(username="api_reader"))
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert cache_directives(response) >= {"private", "no-store"}
    assert "cookie" in vary(response)


SERVED_TEMPLATES = [
    path
    for path in (ROOT / "templates").rglob("*.html")
    # Mail clients need inline styles and never see the CSP; PDFs are laid out by WeasyPrint;
    # admin panels run under the admin policy.
    if not {"email", "admin"} & set(path.relative_to(ROOT / "templates").parts)
    and not path.name.endswith("_pdf.html")
]
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
    r"|<style\b|\sstyle=\"|\son[a-z]+=",
)


@pytest.mark.parametrize("path", SERVED_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_served_templates_have_no_inline_script_or_style(path) -> None:
    assert INLINE.search(path.read_text()) is None
