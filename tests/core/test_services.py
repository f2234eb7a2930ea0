"""The suite really talks to PostgreSQL, Redis through a worker, and OpenSearch."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from portal.accounts.models import User
from portal.core.tasks import ping


@pytest.mark.django_db
def test_database_is_postgresql_with_case_insensitive_unique_email() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13
    User.objects.create_user("first", "Same@Example.org", "pw-123456789")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("second", "same@example.ORG", "pw-123456789")


@pytest.mark.worker
def test_task_round_trip_through_redis_and_the_running_worker(celery_worker) -> None:
    token = uuid.uuid4().hex
    result = ping.apply_async(args=[token])
    reply = result.get(timeout=30)
    assert reply["token"] == token
    assert reply["worker"]
    assert result.successful()
