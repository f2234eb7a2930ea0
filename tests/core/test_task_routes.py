"""Every task lands on the queue meant for its kind of work, through ``CELERY_TASK_ROUTES``."""

from __future__ import annotations

import pytest

from portal.celery import app

EXPECTED = {
    "portal.core.tasks.send_email": "mail",
    "portal.alerts.tasks.send_due_alerts": "mail",
    "portal.papers.tasks.build_paper_pdf": "pdf",
    "portal.shortlists.tasks.build_shortlist_export": "pdf",
    "portal.statistics.tasks.build_yearly_report": "pdf",
    "search.tasks.drain_outbox": "search",
    "search.tasks.reconcile_indices": "search",
    "portal.enterprises.tasks.reindex_changed_qualifications": "search",
    "portal.core.tasks.ping": "default",
    "portal.accounts.tasks.purge_stale_unverified_accounts": "default",
    "classification.expire_grants": "default",
}


@pytest.mark.parametrize(("task", "queue"), EXPECTED.items())
def test_task_is_routed_to_its_queue(task: str, queue: str) -> None:
    app.loader.import_default_modules()
    assert task in app.tasks
    assert app.amqp.router.route({}, task)["queue"].name == queue
