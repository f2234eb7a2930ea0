"""Enterprise documents built from plain rows: every field a search, a facet or a match needs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.enterprises.models import Status
from portal.enterprises.search_indexes import SUPPLIERS
from tests.search_fixtures import qualification

pytestmark = pytest.mark.django_db


def test_document_carries_lists_parents_and_valid_qualifications(make_enterprise) -> None:
    today = date.today()
    enterprise = make_enterprise(
        "桂北斗导航科技有限公司",
        region="450103",
        industries=["D0101"],
        description="专注北斗三号短报文终端。",
        capabilities="整机设计与环境试验",
        products=[{"name": "北斗短报文终端", "description": "军用级北斗接收机"}],
        technologies=[{"name": "抗干扰天线", "description": "自适应调零"}],
        qualifications=[
            qualification("secrecy", today + timedelta(days=300), level="二级"),
            qualification("gjb9001c", today - timedelta(days=1)),
        ],
    )
    [(pk, source)] = list(SUPPLIERS.build([enterprise.pk]))

    assert pk == enterprise.pk and source["name"] == "桂北斗导航科技有限公司"
    assert source["industry"] == ["D01", "D0101"]  # a sub-direction brings its parent
    assert source["region"] == ["450103", "450100", "450000"] and source["region_code"] == "450103"
    assert source["qualification"] == ["secrecy", "secrecy:二级"]  # the expired one is held only
    held = {row["type"]: row for row in source["qualifications"]}
    assert held["secrecy"]["level_rank"] == 1 and held["gjb9001c"]["valid_until"] < today
    assert source["offer"].startswith("北斗短报文终端\n抗干扰天线\n军用级北斗接收机\n自适应调零")
    assert "整机设计与环境试验" in source["offer"]
    assert "北斗" in source["offer_words"].split()
    assert source["suggest_phrases"] == ["桂北斗导航科技有限公司", "北斗短报文终端", "抗干扰天线"]
    assert source["summary"] == "专注北斗三号短报文终端。"


def test_only_released_profiles_become_documents(make_enterprise) -> None:
    """A full build reads primary-key ranges: a draft inside the range stays out, and so do
    its products."""
    first = make_enterprise("已通过企业甲", products=[{"name": "北斗终端", "description": ""}])
    draft = make_enterprise(
        "草稿企业", status=Status.DRAFT, products=[{"name": "草稿产品", "description": ""}]
    )
    last = make_enterprise("已通过企业乙", products=[{"name": "石墨烯膜", "description": ""}])
    assert first.pk < draft.pk < last.pk
    built = dict(SUPPLIERS.build([first.pk, draft.pk, last.pk]))
    assert set(built) == {first.pk, last.pk}
    everything = dict(SUPPLIERS.build(None))
    assert draft.pk not in everything
    assert everything[first.pk] == built[first.pk] and everything[last.pk] == built[last.pk]
    assert "草稿产品" not in str(everything)
