"""The demo shortlist of ``seed_demo``: made once, from suppliers the officer may see."""

from __future__ import annotations

import io

import pytest

from classification.tiers import Tier
from portal.accounts import roles
from portal.shortlists import demo
from portal.shortlists.models import Shortlist
from tests.factories import EnterpriseFactory, QualificationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_makes_one_shortlist_of_visible_suppliers_once() -> None:
    officer = UserFactory(username="procurement", roles=[roles.PROCUREMENT])
    for n in range(7):
        enterprise = EnterpriseFactory(tier=Tier.TARGETED if n == 0 else Tier.PUBLIC)
        QualificationFactory(enterprise=enterprise)
    out = io.StringIO()
    demo.seed(None, out, {})
    demo.seed(None, out, {})
    shortlist = Shortlist.objects.get(owner=officer)
    entries = list(shortlist.entries.select_related("enterprise"))
    assert len(entries) == 5
    assert all(entry.note for entry in entries)
    assert all(entry.enterprise.tier == Tier.PUBLIC for entry in entries)
    assert "already there" in out.getvalue()


def test_seed_without_the_demo_officer_says_so() -> None:
    out = io.StringIO()
    demo.seed(None, out, {})
    assert "no demo procurement officer" in out.getvalue()
    assert not Shortlist.objects.exists()
