"""The administrators' pages for data-sharing clients in the Wagtail admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.sharing import clients
from portal.sharing.models import Exchange, SharingClient
from tests.factories import UserFactory, login_verified

from .conftest import obtain_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator() -> Client:
    http = Client()
    login_verified(http, UserFactory(username="root", is_superuser=True, is_staff=True))
    return http


def test_register_shows_the_secret_once_and_it_works(administrator):
    response = administrator.post(
        "/admin/sharing/add/",
        {
            "name": "国防科工办",
            "agency": "广西壮族自治区国防科技工业办公室",
            "ceiling": "vetted",
            "scope_choices": ["enterprises:read", "notices:read"],
            "terms": "按《数据共享协议》使用，不得转授。",
        },
    )
    assert response.status_code == 200
    client = SharingClient.objects.get(name="国防科工办")
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert obtain_token(Client(), client.client_id, secret)["status"] == 200
    page = administrator.get(f"/admin/sharing/{client.pk}/").content.decode()
    assert secret not in page and "按《数据共享协议》使用" in page


def test_a_bad_form_says_what_is_wrong_and_registers_nothing(administrator):
    response = administrator.post(
        "/admin/sharing/add/",
        {"name": "", "agency": "x", "ceiling": "targeted", "expires_on": "2000-01-01"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "ceiling", "scope_choices", "expires_on"} <= set(errors)
    assert not SharingClient.objects.exists()


def test_the_client_page_lists_what_was_shared_and_revokes(administrator):
    client, _ = clients.register("城市工信局", "柳州市工信局", "registered", "enterprises:read")
    Exchange.objects.create(
        client=client,
        direction="pull",
        endpoint="/api/v1/sharing/enterprises/changes/",
        record_count=37,
        cursor_from="",
        cursor_to="812.44",
    )
    page = administrator.get(f"/admin/sharing/{client.pk}/").content.decode()
    assert "/api/v1/sharing/enterprises/changes/" in page and "812.44" in page and ">37<" in page
    listing = administrator.get("/admin/sharing/").content.decode()
    assert "城市工信局" in listing

    administrator.post(f"/admin/sharing/{client.pk}/revoke/")
    client.refresh_from_db()
    assert not client.in_force()
    assert administrator.post(f"/admin/sharing/{client.pk}/rotate/").status_code == 302


def test_only_administrators_open_the_pages():
    client, _ = clients.register("城市工信局", "柳州市工信局", "registered", "enterprises:read")
    http = Client()
    login_verified(http, UserFactory(username="officer9", roles=["classification_officer"]))
    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    refused = (302, reverse("wagtailadmin_home"))
    for url in ("/admin/sharing/", "/admin/sharing/add/", f"/admin/sharing/{client.pk}/"):
        response = http.get(url)
        assert (response.status_code, response["Location"]) == refused
    response = http.post(f"/admin/sharing/{client.pk}/revoke/")
    assert (response.status_code, response["Location"]) == refused
    client.refresh_from_db()
    assert client.in_force()
