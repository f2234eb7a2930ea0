"""Notice alerts: newly published notices matching the saved filters, through the release
policy of the notice list (``visible_notices``) at send time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from classification.tiers import Tier
from portal.alerts import delivery
from portal.alerts.models import AlertItem, Kind
from portal.notices.models import Kind as NoticeKind
from tests.factories import EnterpriseFactory, UserFactory

from .conftest import T0, at

pytestmark = pytest.mark.django_db


def _titles(message) -> list[str]:
    return sorted(line[2:].split(" (")[0] for line in message.body.splitlines() if line[:2] == "- ")


@pytest.fixture
def notices(make_notice, search_index):
    made = {
        "before": make_notice("北斗终端采购（旧）", T0 - timedelta(hours=1)),
        "public": make_notice("北斗终端采购", at(1)),
        "registered": make_notice("北斗天线采购", at(1), tier=Tier.REGISTERED),
        "vetted": make_notice("北斗模块采购", at(2), tier=Tier.VETTED),
        "supply": make_notice("北斗技术供给", at(2), kind=NoticeKind.SUPPLY),
        "other": make_notice("稀土材料采购", at(2)),
    }
    search_index()
    return made


def test_registered_user_gets_what_they_may_see(user, saved_search, notices):
    saved = saved_search(kind=Kind.NOTICE, q="北斗")
    delivery.run_due(at(3))
    assert _titles(mail.outbox[0]) == sorted(["北斗终端采购", "北斗天线采购", "北斗技术供给"])
    assert notices["public"].url in mail.outbox[0].alternatives[0][0]
    assert AlertItem.objects.filter(saved_search=saved, item_type="notice").count() == 3
    delivery.run_due(at(4))
    assert len(mail.outbox) == 1


def test_vetted_user_also_gets_vetted_notices_with_filters(saved_search, notices):
    vetted = UserFactory(username="vetted")
    EnterpriseFactory(owners=[vetted])
    saved_search(owner=vetted, kind=Kind.NOTICE, q="北斗", filters={"kind": NoticeKind.DEMAND})
    delivery.run_due(at(3))
    assert _titles(mail.outbox[0]) == sorted(["北斗终端采购", "北斗天线采购", "北斗模块采购"])


def test_clearance_lost_since_saving_is_applied_at_send_time(saved_search, notices):
    vetted = UserFactory(username="vetted")
    firm = EnterpriseFactory(owners=[vetted])
    saved_search(owner=vetted, kind=Kind.NOTICE, q="北斗模块")
    firm.status = "revoked"
    firm.save()
    assert delivery.run_due(at(3)).items == 0
    assert mail.outbox == []


def test_text_goes_through_the_search_service(user, saved_search, notices):
    """Words in another order still match (the engine's analysis, not a substring test)."""
    saved_search(kind=Kind.NOTICE, q="终端 北斗")
    delivery.run_due(at(3))
    assert _titles(mail.outbox[0]) == ["北斗终端采购"]


def test_filters_without_text(user, saved_search, notices):
    saved_search(kind=Kind.NOTICE, filters={"kind": NoticeKind.SUPPLY})
    delivery.run_due(at(3))
    assert _titles(mail.outbox[0]) == ["北斗技术供给"]
