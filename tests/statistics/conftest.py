"""A small hand-built world for the statistics tests: every count in it is known.

Enterprises (2025 = the period under test; times are Asia/Shanghai):
  E1 approved, 青秀区 (南宁市), D0101 + D02, first approved by a version on 2025-03-10,
     secrecy valid, GJB 9001C expired 2025-06-30
  E2 approved, 城中区 (柳州市), D01, approved_at 2025-05-05 (no versions), secrecy valid,
     high_tech valid only from 2026-03-01
  E3 approved, 南宁市 itself, no industry, approved by a version on 2025-11-20
  E4 approved, first approved 2026-02-01 (after the period), secrecy valid
  E5 revoked (approved 2025-04-01, then revoked)
  E6 submitted 2025-04-15, waiting
  E7 submitted 2025-04-20, returned 2025-05-02
  E8 approved, autonomous-region level (450000), D03, approved_at 2025-07-01, tier targeted
Notices: N1 demand public 2025-01-01 00:30 (2 responses), N2 supply public 2025-03-15,
  N3 demand targeted 2025-03-20 (1 response), N4 transfer public 2026-01-05,
  N5 policy vetted 2025-12-31 23:30.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.utils import timezone

from classification.tiers import Tier
from portal.enterprises.models import (
    Enterprise,
    EnterpriseVersion,
    Industry,
    QualificationType,
    Region,
    Status,
    VersionState,
)
from portal.notices.models import Kind, NoticePage, NoticeResponse
from portal.statistics.periods import Period
from tests.factories import EnterpriseFactory, QualificationFactory, UserFactory
from tests.notices.conftest import author, index, make_notice  # noqa: F401 - fixtures

YEAR = Period.year(2025)


def at(day: str, clock: str = "12:00") -> datetime:
    """An aware datetime in the portal's time zone."""
    return timezone.make_aware(datetime.fromisoformat(f"{day}T{clock}"))


@dataclass
class World:
    enterprises: dict[str, Enterprise]
    notices: dict[str, NoticePage]


def _version(enterprise, number, state, submitted=None, decided=None) -> None:
    EnterpriseVersion.objects.create(
        enterprise=enterprise,
        number=number,
        state=state,
        data={},
        submitted_at=at(submitted) if submitted else None,
        decided_at=at(decided) if decided else None,
    )


def _industries(enterprise, codes: list[str]) -> None:
    enterprise.industries.set(Industry.objects.filter(code__in=codes))


@pytest.fixture
def world(db, make_notice) -> World:  # noqa: F811 - the fixture imported above
    e = {}
    e["E1"] = EnterpriseFactory(name="E1", region=Region.objects.get(code="450103"))
    _industries(e["E1"], ["D0101", "D02"])
    _version(e["E1"], 1, VersionState.APPROVED, "2025-03-01", "2025-03-10")
    QualificationFactory(
        enterprise=e["E1"], valid_from=date(2024, 1, 1), valid_until=date(2027, 1, 1)
    )
    QualificationFactory(
        enterprise=e["E1"],
        type=QualificationType.objects.get(code="gjb9001c"),
        level="",
        valid_from=date(2022, 7, 1),
        valid_until=date(2025, 6, 30),
    )
    e["E2"] = EnterpriseFactory(
        name="E2", region=Region.objects.get(code="450202"), approved_at=at("2025-05-05")
    )
    _industries(e["E2"], ["D01"])
    QualificationFactory(
        enterprise=e["E2"], valid_from=date(2024, 1, 1), valid_until=date(2027, 1, 1)
    )
    QualificationFactory(
        enterprise=e["E2"],
        type=QualificationType.objects.get(code="high_tech"),
        level="",
        valid_from=date(2026, 3, 1),
        valid_until=date(2029, 3, 1),
    )
    e["E3"] = EnterpriseFactory(name="E3", region=Region.objects.get(code="450100"))
    e["E3"].industries.clear()
    _version(e["E3"], 1, VersionState.APPROVED, "2025-11-18", "2025-11-20")
    e["E4"] = EnterpriseFactory(name="E4")
    _version(e["E4"], 1, VersionState.APPROVED, "2026-01-30", "2026-02-01")
    QualificationFactory(enterprise=e["E4"])
    e["E5"] = EnterpriseFactory(name="E5", status=Status.REVOKED, approved_at=at("2025-04-01"))
    _version(e["E5"], 1, VersionState.APPROVED, "2025-03-28", "2025-04-01")
    e["E6"] = EnterpriseFactory(name="E6", status=Status.SUBMITTED)
    _version(e["E6"], 1, VersionState.SUBMITTED, "2025-04-15")
    e["E7"] = EnterpriseFactory(name="E7", status=Status.RETURNED)
    _version(e["E7"], 1, VersionState.RETURNED, "2025-04-20", "2025-05-02")
    e["E8"] = EnterpriseFactory(
        name="E8",
        region=Region.objects.get(code="450000"),
        approved_at=at("2025-07-01"),
        tier=Tier.TARGETED,
    )
    _industries(e["E8"], ["D03"])

    n = {}
    for key, title, kind, tier, published in (
        ("N1", "北斗终端采购需求", Kind.DEMAND, Tier.PUBLIC, at("2025-01-01", "00:30")),
        ("N2", "石墨烯导热膜供给", Kind.SUPPLY, Tier.PUBLIC, at("2025-03-15")),
        ("N3", "某型雷达部件定向需求", Kind.DEMAND, Tier.TARGETED, at("2025-03-20")),
        ("N4", "无人机技术转移", Kind.TRANSFER, Tier.PUBLIC, at("2026-01-05")),
        ("N5", "军民融合政策通知", Kind.POLICY, Tier.VETTED, at("2025-12-31", "23:30")),
    ):
        notice = make_notice(title=title, kind=kind, tier=tier)
        NoticePage.objects.filter(pk=notice.pk).update(first_published_at=published)
        n[key] = notice
    for notice, enterprise in (("N1", "E1"), ("N1", "E2"), ("N3", "E1")):
        NoticeResponse.objects.create(
            notice=n[notice], enterprise=e[enterprise], message="我司可以承接。"
        )
    return World(e, n)


@pytest.fixture
def officer(db):
    return UserFactory(username="stats-officer", roles=["classification_officer"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="stats-reviewer", roles=["reviewer"])
