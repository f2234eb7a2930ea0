"""A Celery worker SIGKILLed in the middle of its work loses nothing and sends nothing twice.

- The search outbox: a worker killed while it holds a claimed batch. The broker hands the
  unacknowledged drain to the next worker (acks late, after the visibility timeout), which
  takes the dead drain's rows over once their lease ran out; every document reaches the index
  and ``search_index --check`` finds no drift.
- Saved-search alerts: a worker killed after a digest was claimed and before the mail server
  took it. The next worker's run sends that digest once, then the rest; every recipient gets
  exactly one message (the workers write mail to files, counted across processes).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.alerts.models import AlertDelivery, AlertItem
from portal.alerts.tasks import send_due_alerts
from portal.enterprises.models import Enterprise
from portal.enterprises.search_indexes import SUPPLIERS
from search import engine, indexing
from search.models import OutboxEntry
from search.tasks import drain_outbox

from .scenario import approved_enterprises, received, settle_indices, subscribers
from .services import wait_until

pytestmark = [
    pytest.mark.xdist_group("faults"),  # one process starts the fault services
    pytest.mark.worker,
    pytest.mark.engine,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_outbox_drain_killed_mid_batch_loses_no_document(workers, private_broker):
    settle_indices()
    total = 2 * indexing.BATCH + 300
    profiles = approved_enterprises(total, 700_000, "钦州故障演练")
    OutboxEntry.objects.bulk_create(
        OutboxEntry(index=SUPPLIERS.name, object_id=profile.pk, stamp=uuid.uuid4())
        for profile in profiles
    )
    first = workers.running()
    drain_outbox.delay()

    def mid_batch() -> bool:
        pending = OutboxEntry.objects.filter(index=SUPPLIERS.name)
        claimed = pending.filter(claimed_until__isnull=False).count()
        return 0 < pending.count() < total and claimed > 0  # a batch done, the next one held

    first.freeze_when(mid_batch)
    held = OutboxEntry.objects.filter(claimed_until__isnull=False).count()
    first.kill()
    assert held > 0, "the kill did not land mid-batch"
    assert OutboxEntry.objects.count() > 0

    workers.successor()  # takes the dead worker's drain over (acks late)
    wait_until(lambda: not OutboxEntry.objects.exists(), 90, "the outbox drained after the kill")

    engine.refresh(SUPPLIERS.alias)
    assert engine.count(SUPPLIERS.alias) == Enterprise.objects.count()
    call_command("search_index", "--check")  # exits 1 (SystemExit) on any drift


def test_alert_run_killed_mid_delivery_sends_each_digest_once(
    workers, private_broker, mail_dir: Path
):
    recipients = subscribers(8, "faults-alert")
    found = approved_enterprises(3, 800_000, "钦州故障演练")
    settle_indices()

    first = workers.running()
    send_due_alerts.delay()

    addresses = {user.email for user in recipients}

    def mails() -> dict[str, list[str]]:
        """Message-IDs each of this test's recipients received (the folder is shared)."""
        return {to: ids for to, ids in received(mail_dir).items() if to in addresses}

    def claimed_not_sent() -> bool:
        """A digest claimed, its mail not yet taken by the server, and another one sent."""
        pending = AlertDelivery.objects.filter(sent_at__isnull=True).first()
        return (
            pending is not None
            and AlertDelivery.objects.filter(sent_at__isnull=False).exists()
            and not mails().get(pending.recipient)
        )

    first.freeze_when(claimed_not_sent)
    first.kill()
    cut_short = AlertDelivery.objects.get(sent_at__isnull=True)
    assert len(mails()) < len(recipients)

    workers.successor()
    wait_until(
        lambda: (
            len(mails()) == len(recipients)
            and not AlertDelivery.objects.filter(sent_at__isnull=True).exists()
        ),
        60,
        "every recipient's digest after the kill",
    )
    by_recipient = mails()
    assert {address: len(ids) for address, ids in by_recipient.items()} == dict.fromkeys(
        addresses, 1
    )
    assert by_recipient[cut_short.recipient] == [cut_short.message_id]
    assert AlertItem.objects.count() == len(recipients) * len(found)
    assert set(AlertItem.objects.values_list("item_id", flat=True)) == {e.pk for e in found}
