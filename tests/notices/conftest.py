"""Fixtures of the notices tests: users at each clearance and a notice factory."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from classification.tiers import Tier
from portal.enterprises.models import Industry, Region
from portal.notices.models import Kind, NoticeIndexPage, NoticePage
from tests.factories import EnterpriseFactory, UserFactory


@pytest.fixture
def index(db) -> NoticeIndexPage:
    return NoticeIndexPage.objects.get(slug="notices")


@pytest.fixture
def author(db):
    return UserFactory(username="procurer", roles=["procurement"])


@pytest.fixture
def registered(db):
    return UserFactory(username="registered")


@pytest.fixture
def vetted(db):
    user = UserFactory(username="vetted")
    EnterpriseFactory(owners=[user], name="南宁北斗星科技有限公司")
    return user


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", roles=["classification_officer"])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor1", roles=["editor"])


@pytest.fixture
def publisher(db):
    user = UserFactory(username="publisher1")
    user.groups.add(Group.objects.get(name="publisher"))
    return user


@pytest.fixture
def make_notice(index, author):
    """Create and publish a notice; ``publish=False`` leaves a draft."""

    def make(
        title: str = "北斗高精度定位终端采购需求",
        tier: str = Tier.PUBLIC,
        kind: str = Kind.DEMAND,
        publish: bool = True,
        owner=None,
        **fields,
    ) -> NoticePage:
        fields.setdefault("summary", "采购北斗三号高精度定位终端 200 台，支持 RTK 与短报文。")
        fields.setdefault("deadline", timezone.now() + timedelta(days=30))
        fields.setdefault("contact_name", "王参谋")
        fields.setdefault("contact_phone", "0771-2801234")
        fields.setdefault("budget_min", 100)
        fields.setdefault("budget_max", 300)
        fields.setdefault("region", Region.objects.get(code="450100"))
        fields.setdefault(
            "body",
            [
                {"type": "paragraph", "value": "<p>面向驻桂部队的定位终端需求。</p>"},
                {
                    "type": "requirements",
                    "value": {"heading": "技术要求", "items": ["定位精度优于 2 cm", "IP67 防护"]},
                },
            ],
        )
        notice = NoticePage(
            title=title, tier=tier, kind=kind, owner=owner or author, live=False, **fields
        )
        index.add_child(instance=notice)
        notice.industries.set(Industry.objects.filter(code="D01"))
        revision = notice.save_revision(user=owner or author)
        if publish:
            revision.publish()
            notice.refresh_from_db()
        return notice

    return make
