"""Index follows the database through the outbox: saves, deletes, qualification expiry, an
engine outage followed by a full catch-up, and an alias rebuild while searches run."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import override_settings

from portal.enterprises.supplier_search import supplier_search
from portal.enterprises.tasks import reindex_changed_qualifications
from search import engine, indexing
from search.models import OutboxEntry
from search.registry import alias
from tests.search_fixtures import qualification

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


def total(q: str = "", **filters) -> int:
    return supplier_search(AnonymousUser(), q, filters).total


def test_save_and_delete_reach_the_index(search_index, make_enterprise) -> None:
    enterprise = make_enterprise("防城港海洋装备有限公司", region="450602")
    search_index()
    assert total("海洋装备") == 1
    enterprise.name = "防城港船舶装备有限公司"
    enterprise.save()
    search_index()
    assert total("海洋装备") == 0 and total("船舶") == 1
    enterprise.delete()
    search_index()
    assert total("船舶") == 0
    assert not OutboxEntry.objects.exists()


def test_revoked_profile_leaves_the_index(search_index, make_enterprise) -> None:
    enterprise = make_enterprise("贺州碳酸钙新材料有限公司", region="451102")
    search_index()
    enterprise.status = "revoked"
    enterprise.save()
    search_index()
    assert total("碳酸钙") == 0


def test_qualification_expiry_is_reindexed_by_the_daily_task(search_index, make_enterprise):
    from portal.enterprises.models import Qualification

    enterprise = make_enterprise(
        "钦州装备检测有限公司", qualifications=[qualification("iso9001", date.today())]
    )
    search_index()
    assert total(qualification=["iso9001"]) == 1
    # A day passes: the certificate's last valid day was yesterday (no save, no signal).
    Qualification.objects.filter(enterprise=enterprise).update(
        valid_until=date.today() - timedelta(days=1)
    )
    assert total(qualification=["iso9001"]) == 1  # the index does not know yet
    assert reindex_changed_qualifications.apply().get() == 1
    search_index()
    assert total(qualification=["iso9001"]) == 0


def test_outage_keeps_the_outbox_and_catches_up_fully(search_index, make_enterprise) -> None:
    first = make_enterprise("玉林柴油机配套有限公司", region="450902")
    search_index()
    with override_settings(SEARCH_URL="http://127.0.0.1:9"):
        engine.client.cache_clear()
        second = make_enterprise("梧州电子元件有限公司", region="450403")
        first.delete()
        with pytest.raises(engine.EngineUnavailable):
            indexing.drain()
        assert OutboxEntry.objects.count() >= 2  # nothing settled, nothing lost
    engine.client.cache_clear()
    search_index()
    assert not OutboxEntry.objects.exists()
    assert not indexing.check("enterprises")
    assert total("电子元件") == 1 and total("柴油机") == 0
    assert second.pk


def test_check_reports_and_repair_fixes_drift(search_index, make_enterprise) -> None:
    enterprise = make_enterprise("北海电子信息产业有限公司", region="450502")
    search_index()
    engine.client().delete(index=alias("enterprises"), id=str(enterprise.pk), refresh=True)
    drift = indexing.check("enterprises")
    assert drift.missing == [enterprise.pk]
    call_command("search_index", "--repair", "--no-progress")
    engine.refresh(alias("enterprises"))
    assert not indexing.check("enterprises")


def test_rebuild_swaps_the_alias_while_searches_keep_answering(search_index, make_enterprise):
    for number in range(30):
        make_enterprise(f"来宾糖业机械{number}号有限公司", region="451302")
    search_index()
    before = engine.alias_targets(alias("enterprises"))
    answers: list[int] = []
    failures: list[Exception] = []
    done = threading.Event()

    def keep_searching() -> None:
        while not done.is_set():
            try:
                body = {"query": {"match_all": {}}, "size": 0, "track_total_hits": True}
                answers.append(
                    engine.raw_search(alias("enterprises"), body)["hits"]["total"]["value"]
                )
            except Exception as error:
                failures.append(error)

    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        call_command("search_index", "--rebuild", "--no-progress")
    finally:
        done.set()
        thread.join()
    assert not failures
    assert answers and set(answers) == {30}
    after = engine.alias_targets(alias("enterprises"))
    assert after != before and len(after) == 1
    assert not indexing.check("enterprises")
