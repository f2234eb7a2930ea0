"""Redis restarts while work is queued: the worker reconnects and the work completes.

Queued tasks live only in Redis. Without persistence (as `make test` runs Redis) a restart
loses them; the work itself is not lost, because it is written in PostgreSQL first (outbox
rows, due saved searches) and the beat's catch-up entries (``CELERY_BEAT_SCHEDULE``: the outbox
every minute, alerts every five) queue it again. With the append-only file on, as
docker/compose.yaml runs Redis, the queued tasks themselves survive the restart.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from portal.alerts.models import SavedSearch
from portal.alerts.tasks import send_due_alerts
from portal.celery import app as celery_app
from portal.enterprises.search_indexes import SUPPLIERS
from search import engine, indexing
from search.models import OutboxEntry

from .conftest import reset_pools
from .scenario import approved_enterprises, received, settle_indices, subscribers
from .services import wait_until

pytestmark = [
    pytest.mark.xdist_group("faults"),  # one process starts the fault services
    pytest.mark.worker,
    pytest.mark.engine,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def queue_lengths(redis) -> dict[str, int]:
    client = redis.client()
    return {queue: client.llen(queue) for queue in ("search", "mail")}


def queue_work(redis, first: int, name: str, readers: int):
    """Saved profiles (one drain queued on commit) and due alerts (one run queued) while no
    worker consumes, so that both tasks wait in Redis."""
    profiles = approved_enterprises(120, first, name)
    users = subscribers(readers, name)
    with transaction.atomic():
        indexing.record(SUPPLIERS, [profile.pk for profile in profiles])
    send_due_alerts.delay()
    queued = queue_lengths(redis)
    assert queued["search"] >= 1 and queued["mail"] >= 1, queued
    return users, queued


def restart(redis) -> None:
    redis.stop()
    redis.start()
    reset_pools()  # the test process's own connections died with it


def beat_tick(entry: str) -> None:
    """Send what beat sends for ``entry`` of ``CELERY_BEAT_SCHEDULE`` on its next tick."""
    scheduled = settings.CELERY_BEAT_SCHEDULE[entry]
    celery_app.send_task(scheduled["task"], **scheduled["options"])


def assert_completed(users, mail_dir) -> None:
    """The outbox drained and the alert run done; then the next alerts tick (the run may have
    come before the drain, when the new profiles were not yet searchable): one mail each."""
    wait_until(lambda: not OutboxEntry.objects.exists(), 60, "the outbox drained")
    searches = SavedSearch.objects.filter(user__in=users)
    wait_until(lambda: not searches.filter(last_run_at=None).exists(), 60, "the alert run")
    engine.refresh(SUPPLIERS.alias)  # what the engine does within a second of the drain
    beat_tick("alerts-send-due")
    wait_until(
        lambda: all(received(mail_dir).get(user.email) for user in users), 60, "the alerts sent"
    )
    assert all(len(received(mail_dir)[user.email]) == 1 for user in users)
    call_command("search_index", "--check")  # exits 1 on any drift


def test_without_persistence_the_beat_catch_up_completes_the_lost_tasks(
    workers, private_broker, mail_dir
):
    settle_indices()
    workers.running()
    restart(private_broker)
    # The running worker reconnects: a profile saved now reaches the index.
    profiles = approved_enterprises(5, 890_000, "faults-reconnect")
    with transaction.atomic():
        indexing.record(SUPPLIERS, [profile.pk for profile in profiles])
    wait_until(lambda: not OutboxEntry.objects.exists(), 60, "a drain after the reconnection")

    workers.stop()
    users, _queued = queue_work(private_broker, 900_000, "faults-redis", readers=2)
    restart(private_broker)
    assert queue_lengths(private_broker) == {"search": 0, "mail": 0}  # lost with Redis ...
    assert OutboxEntry.objects.count() == 120  # ... but the outbox is in PostgreSQL

    workers.running()
    beat_tick("search-drain-outbox")
    beat_tick("alerts-send-due")
    assert_completed(users, mail_dir)


def test_with_the_append_only_file_the_queued_tasks_survive(workers, private_broker, mail_dir):
    settle_indices()
    workers.stop()
    private_broker.appendonly = True
    try:
        restart(private_broker)  # the same Redis, now as docker/compose.yaml runs it
        users, queued = queue_work(private_broker, 910_000, "faults-aof", readers=2)
        restart(private_broker)
        assert queue_lengths(private_broker) == queued  # replayed from the append-only file
        workers.running()
        assert_completed(users, mail_dir)
    finally:
        private_broker.appendonly = False
        restart(private_broker)
