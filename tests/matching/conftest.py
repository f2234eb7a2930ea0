"""Fixtures of the matching tests: users, hand-written demand notices and their suppliers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from classification.tiers import Tier
from portal.enterprises.models import Industry, QualificationType, Region
from portal.notices.models import Kind, NoticeIndexPage, NoticePage, NoticeQualification
from tests.factories import UserFactory


@pytest.fixture
def procurer(db):
    return UserFactory(username="procurer", roles=["procurement"])


@pytest.fixture
def supplier_user(db):
    return UserFactory(username="supplier", roles=["enterprise"])


@pytest.fixture
def make_notice(db, procurer):
    """Create and publish a demand notice with the given text, industries and requirements.

    ``requires`` is a list of (qualification type code, minimum level or "").
    """
    index = NoticeIndexPage.objects.get(slug="notices")

    def make(
        title: str,
        summary: str,
        body: str = "",
        industries: tuple[str, ...] = (),
        requires: tuple[tuple[str, str], ...] = (),
        tier: str = Tier.PUBLIC,
        kind: str = Kind.DEMAND,
        deadline_days: int | None = 30,
        region: str = "450100",
        region_required: bool = False,
        owner=None,
        requirements: tuple[str, ...] = (),
    ) -> NoticePage:
        blocks = []
        if body:
            blocks.append({"type": "paragraph", "value": f"<p>{body}</p>"})
        if requirements:
            blocks.append(
                {"type": "requirements", "value": {"heading": "技术要求", "items": requirements}}
            )
        notice = NoticePage(
            title=title,
            summary=summary,
            body=blocks,
            kind=kind,
            tier=tier,
            owner=owner or procurer,
            deadline=(
                timezone.now() + timedelta(days=deadline_days)
                if deadline_days is not None
                else None
            ),
            region=Region.objects.get(code=region),
            region_required=region_required,
            live=False,
        )
        index.add_child(instance=notice)
        notice.industries.set(Industry.objects.filter(code__in=industries))
        for code, level in requires:
            NoticeQualification.objects.create(
                notice=notice,
                qualification_type=QualificationType.objects.get(code=code),
                minimum_level=level,
            )
        notice.save_revision(user=owner or procurer).publish()
        notice.refresh_from_db()
        return notice

    return make
