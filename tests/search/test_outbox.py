"""The outbox keeps one row per document and the drain does nothing but send documents.

- Re-approving a profile whose lists are replaced wholesale (thirteen items) records its
  document once: one row, written by one statement.
- A drain sends one bulk request and makes no index-administration call (indices are ensured
  at deploy, by ``search_index --ensure``).
- A document recorded again while the drain sends it keeps its row, so the newer state is sent
  too; rows go back to the queue when the engine refuses them.
- The engine is called with no transaction open.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.enterprises import workflow
from portal.enterprises.search_indexes import SUPPLIERS
from search import engine, indexing
from search.models import OutboxEntry
from tests.factories import UserFactory
from tests.search_fixtures import qualification

pytestmark = [pytest.mark.engine, pytest.mark.django_db]

ITEMS = {
    "products": [{"name": f"北斗终端型号{n}", "description": "高精度定位"} for n in range(5)],
    "technologies": [{"name": f"组合导航算法{n}", "description": ""} for n in range(4)],
    "qualifications": [qualification(code) for code in ("iso9001", "gjb9001c", "hnte")],
}


def _resubmitted(make_enterprise):
    """An approved profile with thirteen list items, and its owner's edit waiting for review."""
    owner = UserFactory()
    enterprise = make_enterprise(
        "南宁北斗导航科技有限公司",
        description="北斗导航终端与组合导航。",
        contacts=[{"name": "张工", "phone": "0771-1234567", "email": "", "role": ""}],
        **ITEMS,
    )
    enterprise.add_owners(owner)
    products = [*ITEMS["products"], {"name": "短报文通信模块", "description": ""}]
    workflow.save_draft(owner, enterprise, {"products": products})
    workflow.submit(owner, enterprise)
    return enterprise


def test_reapproving_a_profile_records_its_document_once(search_index, make_enterprise):
    enterprise = _resubmitted(make_enterprise)
    search_index()  # sends and clears what the set-up recorded
    assert not OutboxEntry.objects.exists()
    reviewer = UserFactory(roles=["reviewer"])

    with CaptureQueriesContext(connection) as queries:
        workflow.approve(reviewer, enterprise)

    rows = list(OutboxEntry.objects.values_list("index", "object_id"))
    assert rows == [(SUPPLIERS.name, enterprise.pk)]
    writes = [q["sql"] for q in queries if "search_outboxentry" in q["sql"]]
    assert len(writes) == 1, writes
    assert enterprise.products.count() == 6


def test_recording_again_renews_the_one_row(search_index, make_enterprise):
    enterprise = make_enterprise("柳州智能装备有限公司")
    indexing.record(SUPPLIERS, [enterprise.pk])
    first = OutboxEntry.objects.get(object_id=enterprise.pk)
    indexing.record(SUPPLIERS, [enterprise.pk, enterprise.pk])
    again = OutboxEntry.objects.get(object_id=enterprise.pk)
    assert again.pk == first.pk and again.stamp != first.stamp


def test_a_drain_only_sends_documents(search_index, make_enterprise, monkeypatch):
    make_enterprise("桂林北斗应用有限公司")
    make_enterprise("玉林稀土材料有限公司")
    requests: list[tuple[str, str]] = []
    transport = engine.client().transport
    real = transport.perform_request

    def spy(method, url, *args, **kwargs):
        requests.append((method, url))
        return real(method, url, *args, **kwargs)

    monkeypatch.setattr(transport, "perform_request", spy)
    assert indexing.drain() == 2
    assert requests == [("POST", "/_bulk")]


def test_a_record_made_while_sending_keeps_the_row(search_index, make_enterprise, monkeypatch):
    enterprise = make_enterprise("北海海洋电子有限公司")
    real_send = indexing._send
    recorded_meanwhile = []

    def send_while_someone_saves(claimed):
        real_send(claimed)
        if not recorded_meanwhile:  # the owner saves again while the bulk request is out
            recorded_meanwhile.append(True)
            enterprise.name = "北海海洋电子科技有限公司"
            enterprise.save()

    monkeypatch.setattr(indexing, "_send", send_while_someone_saves)
    indexing.drain()
    # The first round kept the row (its stamp changed) and the second sent the new name.
    assert not OutboxEntry.objects.exists()
    engine.refresh(SUPPLIERS.alias)
    source = engine.raw_search(SUPPLIERS.alias, {"query": {"ids": {"values": [enterprise.pk]}}})
    assert source["hits"]["hits"][0]["_source"]["name"] == "北海海洋电子科技有限公司"


def test_a_refused_batch_goes_back_to_the_queue(search_index, make_enterprise, monkeypatch):
    enterprise = make_enterprise("梧州新材料有限公司")
    real = SUPPLIERS.build

    def broken(ids=None):
        for object_id, source in real(ids):
            yield object_id, {**source, "not_in_mapping": 1}

    monkeypatch.setattr(SUPPLIERS, "build", broken)
    with pytest.raises(RuntimeError, match="refused 1 documents"):
        indexing.drain()
    row = OutboxEntry.objects.get(object_id=enterprise.pk)
    assert row.claimed_until is None  # the next drain takes it at once
    monkeypatch.setattr(SUPPLIERS, "build", real)
    assert indexing.drain() == 1


def test_an_index_without_its_alias_is_not_created_by_the_drain(
    search_index, make_enterprise, settings
):
    make_enterprise("防城港港口机械有限公司")
    settings.SEARCH_INDEX_PREFIX = "never-ensured"
    with pytest.raises(RuntimeError, match="search_index --ensure"):
        indexing.drain()
    assert not engine.exists(SUPPLIERS.alias)
    assert OutboxEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_engine_is_called_outside_any_transaction(search_index, make_enterprise, monkeypatch):
    seen = []
    real = engine.bulk_body

    def spy(body, **kwargs):
        seen.append(connection.in_atomic_block)
        return real(body, **kwargs)

    monkeypatch.setattr(engine, "bulk_body", spy)
    make_enterprise("来宾蔗糖机械有限公司")  # commits; the drain it queues runs after commit
    indexing.drain()
    assert seen and not any(seen)
    assert not OutboxEntry.objects.exists()
