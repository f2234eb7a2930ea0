"""Listing totals: exact below the threshold, the planner's rounded estimate above it, and the
directory says 约 when it shows an estimate."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from classification import policy
from portal.core import counting
from portal.enterprises import demo
from portal.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def _registry(size: int) -> None:
    demo.grow(size, seed_number=21)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise")


def test_rounded_keeps_two_significant_figures() -> None:
    assert counting.rounded(12_345) == 12_000
    assert counting.rounded(987_654) == 990_000
    assert counting.rounded(87) == 87


def test_exact_below_the_threshold_estimated_above() -> None:
    _registry(60)
    visible = policy.visible(Enterprise.objects.all(), None)
    exact = counting.count(visible, threshold=1_000)
    assert exact == counting.Count(60, True)
    estimated = counting.count(visible, threshold=10)
    assert not estimated.exact
    assert estimated.value == counting.rounded(counting.estimate(visible))
    assert 30 <= estimated.value <= 120  # the planner's figure, not a count: near, not equal


def test_directory_says_about_when_the_total_is_estimated(client, monkeypatch) -> None:
    _registry(60)
    exact = client.get(reverse("enterprises:directory")).content.decode()
    assert "60 家企业" in exact and "约" not in exact.split('class="result-count"')[1][:80]
    monkeypatch.setattr(counting, "THRESHOLD", 10)
    response = client.get(reverse("enterprises:directory"))
    line = response.content.decode().split('class="result-count"')[1].split("</p>")[0]
    assert "约" in line and "家企业" in line
    assert len(response.context["page"].object_list) == 20
