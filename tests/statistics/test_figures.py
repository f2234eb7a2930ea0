"""Each figure against the hand-built world of conftest.py: exact counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import translation

from portal.notices.models import NoticePage
from portal.statistics import figures
from portal.statistics.models import SearchTerm
from portal.statistics.periods import Period

from .conftest import YEAR


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def table(figure: figures.Figure) -> dict:
    return {row[0]: row[1:] if len(row) > 2 else row[1] for row in figure.rows}


def test_industry_counts_top_level_directions(world, officer) -> None:
    fig = figures.enterprises_by_industry(YEAR, officer)
    counts = table(fig)
    # E1 (D0101 -> D01, and D02), E2 (D01); E8 (D03); E3 without industry; E4 joined in 2026.
    assert counts == {
        "新一代信息技术": 2,
        "智能装备制造": 1,
        "节能环保": 1,
        "新材料": 0,
        "新能源汽车": 0,
        "大健康": 0,
        "Not specified": 1,
    }
    assert fig.rows[0] == ["新一代信息技术", 2]  # largest first
    assert fig.series == [("Enterprises", [row[1] for row in fig.rows])]


def test_industry_follows_the_release_policy(world, reviewer) -> None:
    # E8 is targeted: a reviewer reads up to vetted and holds no grant for it.
    counts = table(figures.enterprises_by_industry(YEAR, reviewer))
    assert counts["节能环保"] == 0
    assert counts["新一代信息技术"] == 2


def test_region_rolls_counties_up_to_the_fourteen_cities(world, officer) -> None:
    fig = figures.enterprises_by_region(YEAR, officer)
    assert len(fig.rows) == 15  # 14 cities and the autonomous-region level row
    counts = table(fig)
    assert counts["南宁市"] == 2  # E1 in 青秀区, E3 registered at city level
    assert counts["柳州市"] == 1
    assert counts["Autonomous-region level"] == 1  # E8
    assert sum(row[1] for row in fig.rows) == 4
    assert [row[0] for row in fig.rows][:3] == ["南宁市", "柳州市", "桂林市"]


def test_directory_is_taken_at_the_period_end(world, officer) -> None:
    first_half = Period(date(2025, 1, 1), date(2025, 6, 30))
    # E1 (March) and E2 (May) had joined; E3 (November) and E8 (July) had not.
    assert sum(row[1] for row in figures.enterprises_by_region(first_half, officer).rows) == 2
    assert figures.directory(Period.year(2026), officer).count() == 5  # E4 joins in 2026


def test_qualification_counts_only_valid_ones(world, officer) -> None:
    counts = table(figures.enterprises_by_qualification(YEAR, officer))
    # E1 and E2 hold secrecy; E1's GJB expired mid-year; E2's high-tech starts in 2026;
    # E4 holds secrecy but joined the directory in 2026.
    assert counts["武器装备科研生产单位保密资格"] == 2
    assert counts["GJB 9001C-2017 质量管理体系认证"] == 0
    assert counts["国家高新技术企业"] == 0
    assert len(counts) == 7
    first_half = Period(date(2025, 1, 1), date(2025, 6, 30))
    counts = table(figures.enterprises_by_qualification(first_half, officer))
    assert counts["GJB 9001C-2017 质量管理体系认证"] == 1  # still valid on 30 June


def test_approvals_by_month_from_the_version_history(world, officer) -> None:
    fig = figures.approvals_by_month(YEAR, officer)
    assert fig.header == ["Month", "Submitted", "Approved", "Returned"]
    assert len(fig.rows) == 12
    rows = {row[0]: row[1:] for row in fig.rows}
    assert rows["2025-03"] == [2, 1, 0]  # E1 and E5 submitted, E1 approved
    assert rows["2025-04"] == [2, 1, 0]  # E6 and E7 submitted, E5 approved
    assert rows["2025-05"] == [0, 0, 1]  # E7 returned
    assert rows["2025-11"] == [1, 1, 0]  # E3
    assert sum(sum(r[1:]) for r in fig.rows) == 9
    assert fig.series[1] == ("Approved", [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0])


def test_notices_by_kind_and_month_in_local_time(world, officer) -> None:
    fig = figures.notices_by_month(YEAR, officer)
    assert fig.header == [
        "Month",
        "Military demand",
        "Civilian supply",
        "Technology transfer",
        "Policy notice",
    ]
    rows = {row[0]: row[1:] for row in fig.rows}
    assert rows["2025-01"] == [1, 0, 0, 0]  # N1 at 00:30 on 1 January, Shanghai time
    assert rows["2025-03"] == [1, 1, 0, 0]  # N3 demand, N2 supply
    assert rows["2025-12"] == [0, 0, 0, 1]  # N5 at 23:30 on 31 December
    assert sum(sum(r[1:]) for r in fig.rows) == 4  # N4 is in 2026


def test_notices_follow_the_release_policy(world, reviewer) -> None:
    rows = {row[0]: row[1:] for row in figures.notices_by_month(YEAR, reviewer).rows}
    assert rows["2025-03"] == [0, 1, 0, 0]  # N3 is targeted


def test_responses_per_notice(world, officer) -> None:
    fig = figures.responses_per_notice(YEAR, officer)
    assert [(row[0], row[3]) for row in fig.rows] == [
        ("北斗终端采购需求", 2),
        ("某型雷达部件定向需求", 1),
        ("军民融合政策通知", 0),
        ("石墨烯导热膜供给", 0),
    ]
    assert fig.rows[0][1:3] == ["Military demand", "2025-01-01"]
    assert fig.categories[:2] == ["北斗终端采购需求", "某型雷达部件定向需求"]


def test_report_names_only_public_notices(world) -> None:
    fig = figures.responses_per_notice(YEAR, None)
    labels = [row[0] for row in fig.rows]
    assert "北斗终端采购需求" in labels
    assert "某型雷达部件定向需求" not in labels
    assert f"#{world.notices['N3'].pk}" in labels[1]
    assert "Military demand" in labels[1]


def test_zero_result_terms(db) -> None:
    for term, day, searches, zero in (
        ("稀土永磁", date(2025, 5, 1), 3, 2),
        ("稀土永磁", date(2025, 6, 1), 1, 1),
        ("北斗", date(2025, 5, 1), 5, 0),
        ("=cmd", date(2025, 5, 2), 1, 1),
        ("去年", date(2024, 12, 31), 1, 1),
    ):
        SearchTerm.objects.create(term=term, day=day, searches=searches, zero_results=zero)
    fig = figures.zero_result_terms(YEAR, None)
    assert fig.rows == [["稀土永磁", 3, 4, "2025-06-01"], ["=cmd", 1, 1, "2025-05-02"]]
    assert fig.series == [("Searches without results", [3, 1])]


def test_summary(world, officer) -> None:
    assert figures.summary(YEAR, officer) == {
        "enterprises": 4,
        # The yearly confirmation counts the directory today, whatever the period: all five
        # approved profiles were confirmed by their approval this year.
        "confirmed": 5,
        "confirmation_due": 0,
        "confirmation_overdue": 0,
        "notices": 4,
        "responses": 3,
        "zero_terms": 0,
    }


def test_empty_period_gives_empty_figures(world, officer) -> None:
    period = Period(date(2020, 1, 1), date(2020, 12, 31))
    for key in figures.FIGURES:
        assert figures.figure(key, period, officer).is_empty, key


def test_figures_are_cached_per_viewer(world, officer, reviewer) -> None:
    first = figures.figure("notices", YEAR, officer)
    NoticePage.objects.filter(pk=world.notices["N2"].pk).delete()
    assert figures.figure("notices", YEAR, officer) == first  # still cached
    assert figures.figure("notices", YEAR, reviewer) != first  # another viewer, own entry
    cache.clear()
    assert figures.figure("notices", YEAR, officer) != first


def test_period_validation() -> None:
    with pytest.raises(ValueError):
        Period(date(2025, 2, 1), date(2025, 1, 1))
    with pytest.raises(ValueError):
        Period(date(2015, 1, 1), date(2025, 1, 1))
    assert [m.month for m in Period(date(2025, 11, 15), date(2026, 2, 3)).months()] == [
        11,
        12,
        1,
        2,
    ]
