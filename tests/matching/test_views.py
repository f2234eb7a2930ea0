"""The "匹配供应商" page, its link on the notice page and the dashboard block."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.search_fixtures import qualification

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_page_lists_ranked_suppliers_with_explanations(
    search_index, make_enterprise, make_notice, procurer
):
    until = date.today() + timedelta(days=300)
    good = make_enterprise(
        "南宁星图导航科技有限公司",
        industries=["D0101"],
        products=[{"name": "北斗高精度定位终端", "description": "RTK 厘米级定位"}],
        qualifications=[qualification("gjb9001c", until)],
    )
    notice = make_notice(
        "北斗高精度定位终端采购",
        "北斗定位终端",
        industries=("D0101",),
        requires=(("gjb9001c", ""),),
    )
    search_index()
    response = _client(procurer).get(f"/matching/notices/{notice.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert good.name in html
    assert "<mark>北斗</mark>" in html
    assert until.isoformat() in html
    assert 'role="img"' in html  # the score bar
    assert 'name="enterprise"' in html  # H7's add-to-shortlist control
    notice_page = _client(procurer).get(notice.url).content.decode()
    assert f"/matching/notices/{notice.pk}/" in notice_page


def test_page_empty_state_404_and_bad_page(search_index, make_notice, procurer):
    notice = make_notice("石墨烯导热膜采购", "石墨烯导热膜")
    search_index()
    response = _client(procurer).get(f"/matching/notices/{notice.pk}/")
    assert response.status_code == 200
    assert "empty-state" in response.content.decode()
    supplier = UserFactory(username="sup7", roles=["enterprise"])
    assert _client(supplier).get(f"/matching/notices/{notice.pk}/").status_code == 404
    assert (
        f"/matching/notices/{notice.pk}/" not in _client(supplier).get(notice.url).content.decode()
    )
    assert _client(procurer).get(f"/matching/notices/{notice.pk}/?page=x").status_code == 400


def test_dashboard_block(make_enterprise, make_notice):
    owner = UserFactory(username="owner7", roles=["enterprise"])
    enterprise = make_enterprise(
        "南宁星图", industries=["D0101"], products=[{"name": "北斗定位终端", "description": ""}]
    )
    enterprise.add_owners(owner)
    notice = make_notice("北斗定位终端采购", "北斗定位终端")
    html = _client(owner).get("/enterprises/dashboard/").content.decode()
    assert "fitting-notices" in html
    assert notice.title in html
