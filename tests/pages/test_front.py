"""The home page's lists and figures: latest open notices with deadlines, key figures, newest
papers — each exactly what the reader may see through the release policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from classification.tiers import Tier
from portal.pages import front
from tests.factories import EnterpriseFactory, release
from tests.notices.conftest import author, index, make_notice, vetted  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(make_notice):  # noqa: F811 - the fixture imported above
    deadline = timezone.now() + timedelta(days=12)
    return {
        "public": make_notice("北斗终端公开采购需求", deadline=deadline),
        "vetted": make_notice("认证级雷达部件需求", tier=Tier.VETTED),
        "targeted": make_notice("定向级保密需求", tier=Tier.TARGETED),
        "closed": make_notice("已截止的采购需求", deadline=timezone.now() - timedelta(days=1)),
    }


def test_anonymous_home_shows_public_open_notices_with_deadlines(client, notices) -> None:
    html = client.get("/").content.decode()
    assert "北斗终端公开采购需求" in html
    deadline = timezone.localtime(notices["public"].deadline).date().isoformat()
    assert f"截止 {deadline}" in html
    for hidden in ("认证级雷达部件需求", "定向级保密需求", "已截止的采购需求"):
        assert hidden not in html, hidden
    assert "最新供需信息" in html


def test_a_vetted_reader_sees_vetted_notices_too(client, notices, vetted) -> None:  # noqa: F811
    client.force_login(vetted)
    html = client.get("/").content.decode()
    assert "北斗终端公开采购需求" in html and "认证级雷达部件需求" in html
    assert "定向级保密需求" not in html  # granted to nobody


def test_key_figures_count_what_the_reader_may_see(notices, vetted) -> None:  # noqa: F811
    hidden = EnterpriseFactory(name="认证级供应商")
    release(hidden, Tier.VETTED)
    anonymous = front.key_figures(None)
    public_enterprises = 1  # the vetted user's own profile; the other one is vetted-tier
    assert anonymous == front.KeyFigures(enterprises=public_enterprises, open_notices=1, papers=0)
    seen = front.key_figures(vetted)
    assert seen.open_notices == 2 and seen.enterprises == 2


def test_the_figures_and_lists_render_on_the_page(client, notices) -> None:
    html = client.get("/").content.decode()
    assert 'class="home-figures"' in html and "css/home.css" in html
    assert 'href="/notices/?status=open">1</a>' in html


def test_anonymous_figures_are_counted_once_a_minute_for_everyone(
    django_assert_num_queries,
    notices,
    vetted,  # noqa: F811
) -> None:
    """Every anonymous visitor reads the same figures: counted on the first view, then read
    from the cache until it expires; a signed-in reader's are counted on each view."""
    first = front.key_figures(None)
    newcomer = EnterpriseFactory(name="刚发布的公开供应商")
    release(newcomer, Tier.PUBLIC)
    with django_assert_num_queries(0):
        assert front.key_figures(None) == first
    with CaptureQueriesContext(connection) as counted:
        front.key_figures(vetted)
    assert len(counted.captured_queries) >= 3
    front.cache.delete(front.ANONYMOUS_FIGURES_KEY)  # the minute is over
    assert front.key_figures(None).enterprises == first.enterprises + 1
