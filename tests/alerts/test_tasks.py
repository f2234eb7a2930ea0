"""The beat task: runs the due searches through Celery (eager in tests) as a singleton."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache

from portal.alerts import tasks
from portal.alerts.models import AlertItem

from .conftest import at, touch

pytestmark = pytest.mark.django_db


def test_beat_schedule_names_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["alerts-send-due"]
    assert entry["task"] == tasks.send_due_alerts.name
    assert entry["options"]["queue"] == "mail"


def test_task_sends_and_is_a_singleton(user, saved_search, search_index, make_enterprise):
    found = touch(make_enterprise("南宁北斗任务测试有限公司"), at(1))
    search_index()
    saved_search(q="北斗任务")
    cache.add(tasks._LOCK, "1")
    assert tasks.send_due_alerts.delay().get() == {"skipped": True}
    assert mail.outbox == []
    cache.delete(tasks._LOCK)
    result = tasks.send_due_alerts.delay().get()
    assert result == {"users": 1, "sent": 1, "items": 1, "failed": []}
    assert AlertItem.objects.get().item_id == found.pk
    assert cache.get(tasks._LOCK) is None


def test_the_same_task_redelivered_takes_over_the_lock_of_its_dead_run(
    user, saved_search, search_index, make_enterprise
):
    """The broker hands a dead worker's task on with its id: that task runs at once, another
    tick still skips until the lock lapses."""
    touch(make_enterprise("南宁北斗任务接管有限公司"), at(1))
    search_index()
    saved_search(q="北斗任务")
    cache.add(tasks._LOCK, "killed-run")  # what the killed worker's run left behind
    assert tasks.send_due_alerts.apply(task_id="next-tick").get() == {"skipped": True}
    result = tasks.send_due_alerts.apply(task_id="killed-run").get()
    assert result["sent"] == 1 and len(mail.outbox) == 1
    assert cache.get(tasks._LOCK) is None
