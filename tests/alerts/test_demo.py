"""The demo saved searches: valid, attached to the demo accounts, created once."""

from __future__ import annotations

import io
import random

import pytest

from portal.accounts import demo as accounts_demo
from portal.alerts import demo
from portal.alerts.criteria import clean
from portal.alerts.models import SavedSearch

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_valid():
    out = io.StringIO()
    accounts_demo.seed(random.Random(1), out, {})
    assert demo.seed(random.Random(1), out, {}) == len(demo.DEMO_SEARCHES)
    assert demo.seed(random.Random(1), out, {}) == 0
    owners = set(SavedSearch.objects.values_list("user__username", flat=True))
    assert owners == {"enterprise", "procurement"}
    for saved in SavedSearch.objects.all():
        assert clean(saved.kind, saved.q, saved.filters) == (saved.q, saved.filters)
