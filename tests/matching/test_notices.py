"""Open demand notices that fit an enterprise: qualifications, text fit, region, the policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404

from classification import changes
from portal.matching.notices import match_notices
from search.queries import QueryError
from tests.factories import UserFactory
from tests.search_fixtures import qualification

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(username="owner1", roles=["enterprise"])


@pytest.fixture
def beidou(make_enterprise, owner):
    enterprise = make_enterprise(
        "南宁星图导航科技有限公司",
        industries=["D0101"],
        description="北斗高精度定位终端研发。",
        products=[{"name": "北斗定位终端", "description": "RTK 厘米级定位"}],
        qualifications=[
            qualification("secrecy", date.today() + timedelta(days=400), "二级"),
            qualification("gjb9001c", date.today() + timedelta(days=10)),
        ],
    )
    enterprise.add_owners(owner)
    return enterprise


def _ids(page) -> list[int]:
    return [match.item["id"] for match in page.results]


def test_fitting_open_demands_best_first(make_notice, beidou, owner):
    best = make_notice("北斗定位终端采购", "北斗高精度定位终端 RTK", industries=("D0101",))
    weaker = make_notice("通信设备及定位模块", "车载通信电台与定位模块", industries=("D0104",))
    unrelated = make_notice("石墨烯导热膜采购", "石墨烯导热膜", industries=("D0401",))
    closed = make_notice("北斗终端（已截止）", "北斗定位终端", deadline_days=-1)
    supply = make_notice("北斗定位终端供给", "北斗定位终端", kind="supply")
    page = match_notices(owner, beidou)
    ids = _ids(page)
    assert ids[:2] == [best.pk, weaker.pk]
    assert not {unrelated.pk, closed.pk, supply.pk} & set(ids)
    top = page.as_dict()["results"][0]
    assert top["notice"]["title"] == "北斗定位终端采购"
    assert "北斗" in top["explanation"]["terms"]
    assert page.results[0].relevance == 100


def test_requirements_level_and_validity_on_deadline(make_notice, beidou, owner):
    fits = make_notice("北斗终端一", "北斗定位终端", requires=(("secrecy", "三级"),))
    too_high = make_notice("北斗终端二", "北斗定位终端", requires=(("secrecy", "一级"),))
    lapses = make_notice(
        "北斗终端三", "北斗定位终端", requires=(("gjb9001c", ""),), deadline_days=30
    )
    in_time = make_notice(
        "北斗终端四", "北斗定位终端", requires=(("gjb9001c", ""),), deadline_days=5
    )
    missing = make_notice("北斗终端五", "北斗定位终端", requires=(("weapons_license", ""),))
    page = match_notices(owner, beidou)
    ids = set(_ids(page))
    assert ids == {fits.pk, in_time.pk}
    assert not ids & {too_high.pk, lapses.pk, missing.pk}
    rows = {m.item["id"]: m for m in page.results}
    assert rows[fits.pk].qualifications[0]["type"] == "secrecy"
    assert rows[fits.pk].qualifications[0]["level"] == "二级"


def test_region_when_asked(make_notice, beidou, owner):
    here = make_notice("北斗终端南宁", "北斗定位终端", region="450100", region_required=True)
    there = make_notice("北斗终端柳州", "北斗定位终端", region="450200", region_required=True)
    anywhere = make_notice("北斗终端柳州不限", "北斗定位终端", region="450200")
    assert set(_ids(match_notices(owner, beidou))) == {here.pk, anywhere.pk}
    assert there.pk


def test_policy_notices_the_owner_may_not_see(make_notice, beidou, owner):
    officer = UserFactory(username="officer2", roles=["classification_officer"])
    public = make_notice("北斗终端公开", "北斗定位终端")
    targeted = make_notice("北斗终端定向", "北斗定位终端", tier="targeted")
    assert _ids(match_notices(owner, beidou)) == [public.pk]
    changes.grant(officer, targeted, beidou, None)
    fresh = type(owner).objects.get(pk=owner.pk)
    assert set(_ids(match_notices(fresh, beidou))) == {public.pk, targeted.pk}


def test_requirement_words_only_for_readers(make_notice, make_enterprise, owner):
    """A term of the technical requirements neither scores nor shows for a reader who may not
    read them (here an officer raised the requirements of this notice to targeted)."""
    officer = UserFactory(username="officer3", roles=["classification_officer"])
    enterprise = make_enterprise(
        "南宁星图", industries=["D0101"], products=[{"name": "北斗终端", "description": "厘米级"}]
    )
    enterprise.add_owners(owner)
    notice = make_notice("北斗终端采购", "北斗终端", requirements=("定位精度达到厘米级",))
    as_officer = match_notices(officer, enterprise)
    assert "厘米" in as_officer.results[0].terms
    from portal.notices.models import NoticePage

    NoticePage.objects.filter(pk=notice.pk).update(field_tiers={"requirements": "targeted"})
    fresh = type(owner).objects.get(pk=owner.pk)
    result = match_notices(fresh, enterprise)
    assert result.results[0].item["id"] == notice.pk
    assert "厘米" not in result.results[0].terms
    assert "requirements" in result.results[0].item["redacted"]


def test_who_may_list_and_paging(make_notice, beidou, owner):
    stranger = UserFactory(username="stranger", roles=["enterprise"])
    reviewer = UserFactory(username="reviewer1", roles=["reviewer"])
    make_notice("北斗定位终端采购", "北斗定位终端")
    with pytest.raises(Http404):
        match_notices(stranger, beidou)
    assert match_notices(reviewer, beidou).total == 1
    with pytest.raises(QueryError):
        match_notices(owner, beidou, page=-1)
