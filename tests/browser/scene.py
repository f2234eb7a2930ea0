"""The content the page-wide browser tests walk through (Chinese admin, mobile layout,
accessibility): one of each thing a page shows, made the way the portal makes it, and a
sign-in that skips the login pages so that each test spends its time on the pages it checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from portal.accounts.models import User
from portal.enterprises.models import Enterprise, Industry, Region
from portal.notices.models import Kind, NoticeIndexPage, NoticePage
from portal.papers.demo import create_paper
from portal.papers.demo_text import Body
from portal.papers.models import PaperPage
from tests.factories import (
    EnterpriseFactory,
    UserFactory,
    login_verified,
    release,
    submitted_enterprise,
)

#: Role groups of the staff the admin tests sign in as (docs/roles.md).
STAFF_ROLES = ("procurement", "editor", "reviewer", "classification_officer", "publisher")


@dataclass
class Scene:
    notice: NoticePage
    paper: PaperPage
    supplier: Enterprise
    submitted: Enterprise
    staff: dict[str, User] = field(default_factory=dict)
    owner: User | None = None
    superuser: User | None = None
    #: Filled in by tests that need one (a procurement officer's shortlist).
    shortlist: object | None = None

    def user_texts(self) -> list[str]:
        """What people typed (user names, addresses, group names): content, not chrome."""
        from django.contrib.auth.models import Group
        from wagtail.models import Page

        texts = [value for user in User.objects.all() for value in (user.username, user.email)]
        return [
            *texts,
            *Group.objects.values_list("name", flat=True),
            *Page.objects.values_list("title", flat=True),
            *Enterprise.objects.values_list("uscc", flat=True),
        ]


def notice_body() -> list[dict]:
    return [
        {"type": "paragraph", "value": "<p>面向驻桂部队的北斗定位终端需求。</p>"},
        {
            "type": "requirements",
            "value": {"heading": "技术要求", "items": ["定位精度优于 2 厘米", "防护等级达到要求"]},
        },
        {
            "type": "table",
            "value": {
                "caption": "交付计划",
                "table": {
                    "data": [["项目", "数量"], ["定位终端", "60"], ["基准站", "2"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_header_choice": "row",
                    "table_caption": "",
                },
            },
        },
    ]


def paper_body(image_id: int) -> list[dict]:
    body = Body()
    body.text("前言：本书依据自治区有关规划编写。")
    body.chapter("总体情况")
    counts = [["设区市", "企业数"], ["南宁市", 12], ["桂林市", 7]]
    body.table("各市北斗企业数量", counts, "平台")
    body.key_figures("主要数据", [("128", "家", "认证企业"), ("14", "个", "设区市")])
    body.chart("bar", "各市北斗企业数量", counts, "家", "平台")
    body.footnote("供需对接平台按四级发布信息。", "公开、注册、认证、定向。")
    body.quote("适时发布地区军民融合白皮书蓝皮书。", "专项规划")
    figure = {"image": image_id, "caption": "北斗基准站", "source": "平台", "alt": ""}
    body.add("figure", figure)
    body.text("促进军民用技术成果双向转移，推动北斗导航产业向东盟延伸。")
    return body.blocks


def build_scene(*, publish_paper: bool = False) -> Scene:
    """Staff in every admin role, a published public demand notice with a table, a paper (a draft
    unless ``publish_paper``: publishing builds its PDF), an approved supplier owned by an
    enterprise user, and a profile waiting for review."""
    staff = {
        role: UserFactory(username=f"staff-{role.replace('_', '-')}", roles=[role])
        for role in STAFF_ROLES
    }
    superuser = UserFactory(username="staff-admin", is_superuser=True, is_staff=True)
    owner = UserFactory(username="firm-owner")
    supplier = EnterpriseFactory(owners=[owner], name="南宁星图导航科技有限公司")
    submitted = submitted_enterprise(UserFactory(username="firm-applicant"))
    author = staff["procurement"]
    notice = NoticePage(
        title="北斗高精度定位终端采购",
        summary="采购北斗三号高精度定位终端 60 台，支持厘米级定位与短报文。",
        body=notice_body(),
        kind=Kind.DEMAND,
        owner=author,
        deadline=timezone.now() + timedelta(days=30),
        contact_name="王参谋",
        contact_phone="0771-2801234",
        region=Region.objects.get(code="450100"),
        live=False,
    )
    NoticeIndexPage.objects.get(slug="notices").add_child(instance=notice)
    notice.industries.set(Industry.objects.filter(code="D0101"))
    notice.save_revision(user=author).publish()
    release(notice, "public")  # its contact and budget stay at their declared tiers
    notice.refresh_from_db()
    image = Image.objects.create(title="北斗基准站", file=get_test_image_file("station.png"))
    paper = create_paper(
        paper_body(image.pk),
        slug="beidou-paper",
        title="广西北斗产业军民融合白皮书",
        # The editor's own draft (staff see others' drafts only on their workflow step); a
        # published paper is published by the system, editors have no publish right.
        owner=None if publish_paper else staff["editor"],
        publish=publish_paper,
    )
    if not publish_paper:  # an edit in the log, for the editor's dashboard panel
        paper.save_revision(user=staff["editor"], log_action=True)
    return Scene(
        notice=notice,
        paper=paper,
        supplier=supplier,
        submitted=submitted,
        staff=staff,
        owner=owner,
        superuser=superuser,
    )


def sign_in(page, live_server, user: User) -> None:
    """Give the browser a session of ``user``; staff sessions have passed the second factor,
    as after the login's code step (tests/browser/test_site_frame.py goes through the pages)."""
    client = Client()
    if user.is_superuser or user.groups.filter(name__in=STAFF_ROLES).exists():
        login_verified(client, user)
    else:
        client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
