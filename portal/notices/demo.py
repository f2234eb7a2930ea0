"""Demo notices (供需信息): every kind and tier, some closed, some scheduled, a few responses.

Targeted notices are granted through ``classification.changes.grant`` (as the demo
classification officer) to a demo user, a role group and approved enterprises, so that the
demo shows the same release rules as production. Idempotent: a notice whose slug exists is
left alone. Also creates the demo publisher account (发布审批), the workflow's second step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from classification.tiers import Tier
from portal.accounts import roles
from portal.accounts.models import User
from portal.enterprises.models import Enterprise, Industry, QualificationType, Region

from .models import Kind, NoticeIndexPage, NoticePage, NoticeQualification, NoticeResponse

PUBLISHER = ("publisher", "Publisher-2026-demo", "publisher@demo.junmin.local")


@dataclass
class DemoNotice:
    slug: str
    title: str
    kind: str
    tier: str
    summary: str
    industries: list[str]
    region: str
    requirements: list[str] = field(default_factory=list)
    budget: tuple[int, int] | None = None
    days_to_deadline: int | None = 30
    go_live_in_days: int | None = None
    qualifications: list[tuple[str, str]] = field(default_factory=list)
    grants: list[str] = field(default_factory=list)  # "user:<name>", "group:<name>", "enterprise"
    author: str = "procurement"


NOTICES = [
    DemoNotice(
        "beidou-rtk-terminals",
        "某部队北斗高精度定位终端采购需求",
        Kind.DEMAND,
        Tier.PUBLIC,
        "采购支持北斗三号 RTK 与短报文的高精度定位终端 200 台，用于野外训练保障。",
        ["D0101"],
        "450100",
        [
            "水平定位精度优于 2 cm + 1 ppm",
            "支持北斗三号 B1C/B2a 频点及短报文",
            "IP67 防护，-40℃～70℃ 工作",
        ],
        (120, 300),
        40,
        qualifications=[("secrecy", "三级"), ("gjb9001c", "")],
    ),
    DemoNotice(
        "rare-earth-pm-motors",
        "稀土永磁同步电机研制配套需求",
        Kind.DEMAND,
        Tier.VETTED,
        "面向特种车辆电驱系统，征集稀土永磁同步电机研制与小批量配套单位。",
        ["D0402", "D05"],
        "450300",
        ["峰值功率 ≥ 120 kW，效率 ≥ 95%", "满足 GJB 150A 环境适应性要求"],
        (500, 1200),
        25,
        qualifications=[("weapons_license", ""), ("secrecy", "二级")],
    ),
    DemoNotice(
        "uav-line-inspection",
        "无人机巡检系统联合研制需求",
        Kind.DEMAND,
        Tier.TARGETED,
        "边境通信线路无人机自主巡检系统联合研制，限定向邀请单位查看。",
        ["D0205", "D0101"],
        "451400",
        ["续航 ≥ 90 分钟，抗 6 级风", "支持北斗定位与离线航线规划"],
        (800, 2000),
        20,
        grants=["user:enterprise", "group:procurement", "enterprise"],
    ),
    DemoNotice(
        "graphene-heat-film",
        "石墨烯导热膜军用电子散热应用需求",
        Kind.DEMAND,
        Tier.REGISTERED,
        "征集石墨烯导热膜在机载电子设备散热中的应用方案与样品。",
        ["D0401"],
        "450400",
        ["面内导热系数 ≥ 1500 W/(m·K)"],
        (50, 150),
        -10,
    ),
    DemoNotice(
        "field-medical-kits",
        "野战医疗急救包批量采购（已截止）",
        Kind.DEMAND,
        Tier.PUBLIC,
        "采购符合野战条件的单兵急救包 5000 套。",
        ["D0602"],
        "450500",
        ["符合 GJB 相关卫生装备标准"],
        (80, 120),
        -30,
    ),
    DemoNotice(
        "nanning-smart-manufacturing-supply",
        "智能制造柔性产线加工能力供给",
        Kind.SUPPLY,
        Tier.PUBLIC,
        "南宁某智能装备企业可承接精密结构件五轴加工与柔性装配，年产能 10 万件。",
        ["D0202"],
        "450100",
        author="editor",
        days_to_deadline=None,
    ),
    DemoNotice(
        "liuzhou-nev-drive-supply",
        "新能源汽车电驱总成产能开放",
        Kind.SUPPLY,
        Tier.VETTED,
        "柳州新能源汽车电驱企业开放部分电驱总成产能，可用于特种车辆改装。",
        ["D0501"],
        "450200",
        budget=None,
        author="editor",
        days_to_deadline=60,
    ),
    DemoNotice(
        "defence-ip-transfer-coatings",
        "国防知识产权转化：耐腐蚀海洋防护涂层技术",
        Kind.TRANSFER,
        Tier.PUBLIC,
        "一项国防专利解密后面向民口转化，适用于北部湾港口与海上风电设施防护。",
        ["D0403", "D0206"],
        "450500",
        ["转化方式：许可或作价入股"],
        (200, 500),
        90,
        author="editor",
    ),
    DemoNotice(
        "beidou-timing-transfer",
        "北斗授时模块军转民技术转移",
        Kind.TRANSFER,
        Tier.REGISTERED,
        "北斗高精度授时模块技术面向电力、通信行业转移转化。",
        ["D0101"],
        "450100",
        author="editor",
        days_to_deadline=120,
    ),
    DemoNotice(
        "policy-2026-support",
        "2026 年度民参军企业扶持政策申报通知",
        Kind.POLICY,
        Tier.PUBLIC,
        "自治区对取得装备承制资格的企业给予一次性奖励，现启动申报。",
        [],
        "450000",
        author="editor",
        days_to_deadline=45,
    ),
    DemoNotice(
        "policy-secrecy-training",
        "武器装备科研生产单位保密资格培训通知（定时发布）",
        Kind.POLICY,
        Tier.REGISTERED,
        "保密资格认定培训班将于下月举办，请有意申请的企业报名。",
        [],
        "450000",
        author="editor",
        days_to_deadline=60,
        go_live_in_days=7,
    ),
]


def _publisher() -> User:
    username, password, email = PUBLISHER
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if created:
        user.set_password(password)
        user.email_verified_at = timezone.now()
        user.save()
    user.groups.add(Group.objects.get(name=roles.PUBLISHER))
    return user


def _body(item: DemoNotice) -> list[dict]:
    blocks = [{"type": "paragraph", "value": f"<p>{item.summary}</p>"}]
    if item.requirements:
        blocks.append(
            {"type": "requirements", "value": {"heading": "技术要求", "items": item.requirements}}
        )
    return blocks


def _create(index: NoticeIndexPage, item: DemoNotice, now) -> NoticePage:
    owner = User.objects.filter(username=item.author).first()
    notice = NoticePage(
        title=item.title,
        slug=item.slug,
        kind=item.kind,
        tier=item.tier,
        summary=item.summary,
        body=_body(item),
        region=Region.objects.filter(code=item.region).first(),
        budget_min=Decimal(item.budget[0]) if item.budget else None,
        budget_max=Decimal(item.budget[1]) if item.budget else None,
        deadline=now + timedelta(days=item.days_to_deadline)
        if item.days_to_deadline is not None
        else None,
        contact_name="王参谋" if item.kind == Kind.DEMAND else "李主任",
        contact_phone="0771-2801234",
        contact_email="contact@demo.junmin.local",
        owner=owner,
        live=False,
        go_live_at=now + timedelta(days=item.go_live_in_days) if item.go_live_in_days else None,
    )
    index.add_child(instance=notice)
    notice.industries.set(Industry.objects.filter(code__in=item.industries))
    for code, level in item.qualifications:
        qualification_type = QualificationType.objects.filter(code=code).first()
        if qualification_type is not None:
            NoticeQualification.objects.create(
                notice=notice, qualification_type=qualification_type, minimum_level=level
            )
    # Demo data stands in for notices that went through the workflow: published as the system.
    notice.save_revision(user=owner).publish()
    notice.refresh_from_db()
    return notice


def _grant(notice: NoticePage, item: DemoNotice, officer, enterprises: list[Enterprise]) -> None:
    from classification.changes import grant

    for target in item.grants:
        if target == "enterprise":
            principals = enterprises[1:3]
        elif target.startswith("user:"):
            principals = list(User.objects.filter(username=target[5:]))
        else:
            principals = list(Group.objects.filter(name=target[6:]))
        for principal in principals:
            grant(officer, notice, principal)


def _responses(notices: dict[str, NoticePage], enterprises: list[Enterprise]) -> int:
    made = 0
    messages = [
        "我司具备北斗高精度终端研发与批量生产能力，可按期交付，附产品检测报告。",
        "我司拥有稀土永磁电机生产线及相关资质，可提供样机测试。",
        "可提供定制化方案，欢迎实地考察。",
    ]
    plan = [("beidou-rtk-terminals", 0), ("beidou-rtk-terminals", 1), ("rare-earth-pm-motors", 0)]
    for (slug, which), message in zip(plan, messages, strict=True):
        notice = notices.get(slug)
        if notice is None or which >= len(enterprises):
            continue
        enterprise = enterprises[which]
        _row, created = NoticeResponse.objects.get_or_create(
            notice=notice,
            enterprise=enterprise,
            defaults={"message": message, "submitted_by": enterprise.owners.first()},
        )
        made += created
    return made


def seed(rng, stdout, options) -> None:
    index = NoticeIndexPage.objects.first()
    if index is None:
        stdout.write("Notices: no notice index (run migrations first).")
        return
    _publisher()
    officer = User.objects.filter(username="classifier").first()
    owned = Enterprise.objects.filter(
        Enterprise.classification.released(), group__user__isnull=False
    ).distinct()
    others = Enterprise.objects.filter(Enterprise.classification.released()).order_by("uscc")
    enterprises = list(owned.order_by("pk")[:2]) + list(others[:3])
    now = timezone.now()
    created = 0
    notices: dict[str, NoticePage] = {}
    for item in NOTICES:
        existing = NoticePage.objects.filter(slug=item.slug).first()
        if existing is not None:
            notices[item.slug] = existing
            continue
        notice = _create(index, item, now)
        notices[item.slug] = notice
        if item.tier == Tier.TARGETED and officer is not None:
            _grant(notice, item, officer, enterprises)
        created += 1
    responses = _responses(notices, list(owned.order_by("pk")[:2]))
    stdout.write(
        f"Notices: {created} created ({len(NOTICES)} in the set), {responses} responses; "
        f"publisher login {PUBLISHER[0]} / {PUBLISHER[1]}."
    )
