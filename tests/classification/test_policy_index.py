"""The covering index behind ``policy.visible`` on enterprises (bench/visibility.py): the
count of visible enterprises is an index-only scan only while (status, tier, id) exist together."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_visibility_index_covers_status_tier_and_id():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["classification_enterprise_visible_idx"],
        )
        (definition,) = cursor.fetchone()
    assert "(status, tier, id)" in definition
