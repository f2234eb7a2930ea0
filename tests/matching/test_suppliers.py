"""Supplier matching on the real engine: ranking on hand-written demand notices, the hard
requirements (qualifications valid on the deadline, region), the release policy and redaction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404

from bench.support.variants import MoreLikeThisMatch
from classification import changes
from portal.matching.suppliers import match_suppliers, ranked
from portal.matching.terms import key_terms, notice_places
from search.queries import QueryError
from tests.factories import UserFactory
from tests.search_fixtures import qualification

pytestmark = [pytest.mark.engine, pytest.mark.django_db]

#: (notice title, summary, body, notice industries, fitting supplier, non-fitting supplier).
#: Each non-fitting supplier shares the notice's industry, so it is a candidate too: the text
#: has to rank the fitting one above it.
NOTICES = [
    (
        "北斗高精度定位终端采购需求",
        "采购北斗三号高精度定位终端，支持 RTK 与短报文。",
        "面向野外机动部队，要求厘米级定位。",
        ("D0101",),
        {
            "name": "南宁星图导航科技有限公司",
            "industries": ["D0101"],
            "description": "专注北斗高精度定位与授时。",
            "products": [
                {"name": "北斗高精度定位终端", "description": "支持 RTK 厘米级定位与短报文"}
            ],
        },
        {
            "name": "南宁云数大数据有限公司",
            "industries": ["D0101", "D0102"],
            "description": "政务云计算平台与数据中心运维。",
            "products": [{"name": "政务云平台", "description": "数据中心托管服务"}],
        },
    ),
    (
        "石墨烯导热膜批量采购",
        "用于电子设备散热的石墨烯导热膜，厚度 25 微米。",
        "",
        ("D0401",),
        {
            "name": "桂林烯材科技有限公司",
            "industries": ["D0401"],
            "description": "石墨烯粉体与导热膜规模化生产。",
            "products": [{"name": "石墨烯导热膜", "description": "高导热散热膜"}],
        },
        {
            "name": "桂林碳素制品有限公司",
            "industries": ["D0401"],
            "description": "碳素电极与耐火材料。",
            "products": [{"name": "石墨电极", "description": "冶炼用电极"}],
        },
    ),
    (
        "工业机器人焊接工作站研制",
        "研制用于装甲车体焊接的工业机器人焊接工作站。",
        "需具备焊接工艺规划与离线编程能力。",
        ("D0201",),
        {
            "name": "柳州智焊机器人有限公司",
            "industries": ["D0201"],
            "description": "工业机器人系统集成，焊接与搬运工作站。",
            "technologies": [{"name": "机器人焊接离线编程", "description": "焊接工艺规划"}],
        },
        {
            "name": "柳州数控机床有限公司",
            "industries": ["D0201", "D0202"],
            "description": "立式加工中心与数控车床。",
            "products": [{"name": "数控车床", "description": "精密车削"}],
        },
    ),
    (
        "稀土永磁电机配套需求",
        "需要高功率密度稀土永磁同步电机，用于无人车辆驱动。",
        "",
        ("D0402",),
        {
            "name": "崇左稀源电机有限公司",
            "industries": ["D0402"],
            "description": "稀土永磁同步电机与驱动控制器。",
            "products": [{"name": "稀土永磁同步电机", "description": "高功率密度"}],
        },
        {
            "name": "崇左稀土冶炼有限公司",
            "industries": ["D0402"],
            "description": "稀土冶炼分离，氧化物产品。",
            "products": [{"name": "氧化镨钕", "description": ""}],
        },
    ),
]


def _matches(user, notice, strategy: str):
    """The portal's matching, or the more_like_this variant the matching bench compares."""
    if strategy == "terms":
        return match_suppliers(user, notice)
    terms = key_terms(notice_places(notice))
    return ranked(MoreLikeThisMatch(user, notice, terms), user)


@pytest.mark.parametrize("strategy", ["terms", "mlt"])
def test_fitting_supplier_ranks_above_non_fitting(
    search_index, make_enterprise, make_notice, procurer, strategy
):
    made = []
    for title, summary, body, industries, good, bad in NOTICES:
        made.append(
            (
                make_notice(title, summary, body, industries=industries),
                make_enterprise(**good),
                make_enterprise(**bad),
            )
        )
    search_index()
    for notice, good, bad in made:
        page = _matches(procurer, notice, strategy)
        ids = [match.item["id"] for match in page.results]
        assert good.pk in ids, notice.title
        if bad.pk in ids:
            assert ids.index(good.pk) < ids.index(bad.pk), notice.title
        best = page.results[0]
        assert best.item["id"] == good.pk, notice.title
        assert best.relevance == 100
        if strategy == "terms":
            assert best.terms, notice.title  # the explanation names the matched words
            assert set(best.terms) <= set(page.terms)


def test_explanation_names_terms_and_qualifications(
    search_index, make_enterprise, make_notice, procurer
):
    until = date.today() + timedelta(days=400)
    good = make_enterprise(
        "南宁星图导航科技有限公司",
        industries=["D0101"],
        products=[{"name": "北斗高精度定位终端", "description": "RTK 短报文"}],
        qualifications=[qualification("secrecy", until, level="一级")],
    )
    notice = make_notice(
        "北斗定位终端采购", "北斗终端", industries=("D0101",), requires=(("secrecy", "二级"),)
    )
    search_index()
    page = match_suppliers(procurer, notice)
    assert page.total == 1
    match = page.as_dict()["results"][0]
    assert match["enterprise"]["id"] == good.pk
    assert "北斗" in match["explanation"]["terms"]
    assert match["explanation"]["qualifications"] == [
        {
            "type": "secrecy",
            "name": "武器装备科研生产单位保密资格",
            "level": "一级",
            "valid_until": until.isoformat(),
        }
    ]
    assert match["score"] > 0


def test_required_qualification_valid_on_deadline(
    search_index, make_enterprise, make_notice, procurer
):
    today = date.today()
    year = today + timedelta(days=365)
    text = {"industries": ["D0101"], "products": [{"name": "北斗定位终端", "description": ""}]}
    ok = make_enterprise(
        "合格一级",
        **text,
        qualifications=[qualification("secrecy", year, "一级"), qualification("gjb9001c", year)],
    )
    open_ended = make_enterprise(
        "合格无期限",
        **text,
        qualifications=[qualification("secrecy", None, "二级"), qualification("gjb9001c", None)],
    )
    low_level = make_enterprise(
        "等级不够",
        **text,
        qualifications=[qualification("secrecy", year, "三级"), qualification("gjb9001c", year)],
    )
    lapses = make_enterprise(
        "截止前到期",
        **text,
        qualifications=[
            qualification("secrecy", today + timedelta(days=20), "二级"),
            qualification("gjb9001c", year),
        ],
    )
    expired = make_enterprise(
        "已过期",
        **text,
        qualifications=[
            qualification("secrecy", year, "一级"),
            qualification("gjb9001c", today - timedelta(days=1)),
        ],
    )
    missing = make_enterprise(
        "缺资质", **text, qualifications=[qualification("secrecy", year, "一级")]
    )
    notice = make_notice(
        "北斗定位终端",
        "北斗定位终端",
        industries=("D0101",),
        requires=(("secrecy", "二级"), ("gjb9001c", "")),
        deadline_days=60,
    )
    search_index()
    ids = {match.item["id"] for match in match_suppliers(procurer, notice).results}
    assert ids == {ok.pk, open_ended.pk}
    assert not ids & {low_level.pk, lapses.pk, expired.pk, missing.pk}


def test_region_filter_only_when_asked(search_index, make_enterprise, make_notice, procurer):
    text = {"industries": ["D0201"], "products": [{"name": "工业机器人", "description": ""}]}
    liuzhou = make_enterprise("柳州机器人", region="450202", **text)
    nanning = make_enterprise("南宁机器人", region="450103", **text)
    asks = make_notice("工业机器人采购", "工业机器人", region="450200", region_required=True)
    open_region = make_notice("工业机器人需求", "工业机器人", region="450200")
    search_index()
    assert [m.item["id"] for m in match_suppliers(procurer, asks).results] == [liuzhou.pk]
    assert {m.item["id"] for m in match_suppliers(procurer, open_region).results} == {
        liuzhou.pk,
        nanning.pk,
    }


def test_policy_targeted_supplier_only_when_granted(
    search_index, make_enterprise, make_notice, procurer
):
    officer = UserFactory(username="officer1", roles=["classification_officer"])
    text = {"industries": ["D0101"], "products": [{"name": "北斗定位终端", "description": ""}]}
    public = make_enterprise("公开供应商", **text)
    targeted = make_enterprise("定向供应商", tier="targeted", **text)
    draft = make_enterprise("草稿供应商", status="draft", **text)
    notice = make_notice("北斗定位终端采购", "北斗定位终端")
    search_index()
    page = match_suppliers(procurer, notice)
    assert {m.item["id"] for m in page.results} == {public.pk}
    assert page.total == 1
    changes.grant(officer, targeted, procurer, None)
    search_index()
    fresh = type(procurer).objects.get(pk=procurer.pk)
    assert {m.item["id"] for m in match_suppliers(fresh, notice).results} == {
        public.pk,
        targeted.pk,
    }
    assert draft.pk not in {m.item["id"] for m in match_suppliers(officer, notice).results}


def test_redaction_of_supplier_fields(search_index, make_enterprise, make_notice, procurer):
    from portal.enterprises.models import Enterprise

    text = {"industries": ["D0101"], "products": [{"name": "北斗定位终端", "description": ""}]}
    plain = make_enterprise("普通供应商", legal_representative="李四", **text)
    guarded = make_enterprise("保护法人", legal_representative="王五", **text)
    Enterprise.objects.filter(pk=guarded.pk).update(
        field_tiers={"legal_representative": "targeted"}
    )
    notice = make_notice("北斗定位终端采购", "北斗定位终端")
    search_index()
    rows = {m.item["id"]: m.item for m in match_suppliers(procurer, notice).results}
    assert rows[plain.pk]["legal_representative"] == "李四"
    assert rows[plain.pk]["redacted"] == []
    assert "legal_representative" not in rows[guarded.pk]
    assert rows[guarded.pk]["redacted"] == ["legal_representative"]


def test_who_may_list_and_bad_paging(search_index, make_enterprise, make_notice, procurer):
    supplier = UserFactory(username="sup1", roles=["enterprise"])
    notice = make_notice("北斗定位终端采购", "北斗定位终端")
    search_index()
    with pytest.raises(Http404):
        match_suppliers(supplier, notice)
    with pytest.raises(QueryError):
        match_suppliers(procurer, notice, page="x")
    with pytest.raises(QueryError):
        match_suppliers(procurer, notice, page_size=1000)


def test_requirements_words_neither_score_nor_show_for_readers_without_the_field(
    search_index, make_enterprise, make_notice, procurer
):
    """The detailed requirements carry their own tier: a procurement officer who may not read
    them gets no key terms from them (the terms are printed beside the matches)."""
    from tests.factories import release

    make_enterprise(
        "南宁星图导航科技有限公司",
        industries=["D0101"],
        products=[{"name": "北斗定位终端", "description": "功放模块与低噪声放大器"}],
    )
    notice = make_notice(
        "北斗定位终端采购", "北斗终端", industries=("D0101",), requirements=("功放噪声系数低于",)
    )
    search_index()
    colleague = UserFactory(username="another-procurer", roles=["procurement"])
    assert "功放" in match_suppliers(colleague, notice).terms
    release(notice, notice.tier, {"requirements": "targeted"})
    page = match_suppliers(colleague, notice)
    assert "功放" not in page.terms and "噪声" not in page.terms
    assert "北斗" in page.terms
    assert "功放" in match_suppliers(procurer, notice).terms  # the author reads them
