"""The saved-search pages: saving from a search page, managing the list, and unsubscribing
without logging in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.alerts.models import Frequency, Kind, SavedSearch
from portal.alerts.tokens import make_token
from portal.enterprises.models import Industry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


def test_pages_need_a_login(client):
    for url in (reverse("alerts:list"), reverse("alerts:create") + "?type=supplier&q=北斗"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_save_a_supplier_search(user, client_for):
    client = client_for(user)
    url = reverse("alerts:create") + "?type=supplier&q=北斗&industry=D01&region=450100&page=3"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    industry = Industry.objects.get(code="D01").name
    assert 'value="北斗"' in html and f"<dd>{industry}</dd>" in html  # labels, not codes
    response = client.post(url, {"name": "北斗供应商", "frequency": Frequency.WEEKLY})
    assert response.status_code == 302 and response["Location"] == reverse("alerts:list")
    saved = SavedSearch.objects.get(user=user)
    assert (saved.kind, saved.q, saved.filters, saved.frequency, saved.active) == (
        Kind.SUPPLIER,
        "北斗",
        {"industry": ["D01"], "region": ["450100"]},
        Frequency.WEEKLY,
        True,
    )
    assert saved.search_url() == "/suppliers/?q=%E5%8C%97%E6%96%97&industry=D01&region=450100"


def test_save_a_notice_search(user, client_for):
    client = client_for(user)
    url = reverse("alerts:create") + "?type=notice&kind=demand&q=雷达"
    response = client.post(url, {"name": "雷达需求", "frequency": Frequency.DAILY})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=user)
    assert (saved.kind, saved.q, saved.filters) == (Kind.NOTICE, "雷达", {"kind": "demand"})


def test_refused_parameters_say_why_and_save_nothing(user, client_for):
    client = client_for(user)
    url = reverse("alerts:create") + "?type=supplier&q=name:x&industry=NOPE"
    for response in (client.get(url), client.post(url, {"name": "x", "frequency": "daily"})):
        assert response.status_code == 400
        html = response.content.decode()
        assert "industry" in html and 'role="alert"' in html
    assert not SavedSearch.objects.exists()


def test_form_errors(user, client_for):
    client = client_for(user)
    url = reverse("alerts:create") + "?type=supplier&q=北斗"
    response = client.post(url, {"name": "  ", "frequency": "hourly"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "frequency"}
    assert not SavedSearch.objects.exists()


def test_list_is_paginated_and_private(user, saved_search, client_for):
    for n in range(12):
        saved_search(name=f"检索{n:02d}")
    other = UserFactory(username="bob")
    saved_search(owner=other, name="别人的检索")
    client = client_for(user)
    first = client.get(reverse("alerts:list")).content.decode()
    second = client.get(reverse("alerts:list") + "?page=2").content.decode()
    assert first.count('class="card dashboard-item"') == 10
    assert second.count('class="card dashboard-item"') == 2
    assert "别人的检索" not in first + second
    assert 'rel="next"' in first


def test_empty_state(user, client_for):
    html = client_for(user).get(reverse("alerts:list")).content.decode()
    assert 'class="empty-state"' in html


def test_edit_pause_resume_delete(user, saved_search, client_for):
    saved = saved_search(name="北斗")
    client = client_for(user)
    response = client.post(
        reverse("alerts:edit", args=[saved.pk]),
        {"name": "北斗（周报）", "frequency": Frequency.WEEKLY, "active": "on"},
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.frequency, saved.active) == ("北斗（周报）", "weekly", True)
    client.post(reverse("alerts:toggle", args=[saved.pk]))
    saved.refresh_from_db()
    assert saved.active is False
    assert 'class="badge badge--warn"' in client.get(reverse("alerts:list")).content.decode()
    client.post(reverse("alerts:toggle", args=[saved.pk]))
    saved.refresh_from_db()
    assert saved.active is True
    assert client.get(reverse("alerts:delete", args=[saved.pk])).status_code == 200
    assert SavedSearch.objects.filter(pk=saved.pk).exists()  # GET only asks
    client.post(reverse("alerts:delete", args=[saved.pk]))
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_another_users_search_is_404(user, saved_search, client_for):
    saved = saved_search(owner=UserFactory(username="bob"))
    client = client_for(user)
    assert client.get(reverse("alerts:edit", args=[saved.pk])).status_code == 404
    assert client.post(reverse("alerts:toggle", args=[saved.pk])).status_code == 404
    assert client.post(reverse("alerts:delete", args=[saved.pk])).status_code == 404
    assert SavedSearch.objects.get(pk=saved.pk).active


def test_unsubscribe_without_login(saved_search, user):
    saved = saved_search(name="北斗")
    kept = saved_search(name="稀土")
    url = reverse("alerts:unsubscribe", args=[make_token(user.pk, saved.pk)])
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200 and "北斗" in page.content.decode()
    assert SavedSearch.objects.get(pk=saved.pk).active  # GET only asks
    done = client.post(url)
    assert done.status_code == 200
    assert SavedSearch.objects.get(pk=saved.pk).active is False
    assert SavedSearch.objects.get(pk=kept.pk).active is True


def test_one_click_unsubscribe_all(saved_search, user):
    searches = [saved_search(name="北斗"), saved_search(name="稀土")]
    other = saved_search(owner=UserFactory(username="bob"))
    url = reverse("alerts:unsubscribe", args=[make_token(user.pk)])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not SavedSearch.objects.filter(pk__in=[s.pk for s in searches], active=True).exists()
    assert SavedSearch.objects.get(pk=other.pk).active


def test_tampered_token_is_refused(saved_search, user):
    saved = saved_search()
    victim = saved_search(owner=UserFactory(username="bob"))
    token = make_token(user.pk, saved.pk)
    forged = token.replace(token.split(":")[0], make_token(user.pk, victim.pk).split(":")[0])
    for bad in (forged, token[:-2] + "xx", "garbage", token + "x"):
        url = reverse("alerts:unsubscribe", args=[bad])
        assert Client().get(url).status_code == 400
        assert Client().post(url).status_code == 400
    assert SavedSearch.objects.filter(active=True).count() == 2


def test_notice_index_offers_saving(user, client_for):
    html = client_for(user).get("/notices/?kind=demand&q=北斗").content.decode()
    assert reverse("alerts:create") + "?type=notice&amp;kind=demand&amp;q=" in html
    assert reverse("alerts:create") not in Client().get("/notices/").content.decode()


def test_supplier_directory_offers_saving(user, client_for, search_index):
    html = client_for(user).get("/suppliers/?q=北斗&industry=D01").content.decode()
    assert reverse("alerts:create") + "?type=supplier&amp;q=" in html
    assert reverse("alerts:create") not in Client().get("/suppliers/").content.decode()
