"""The change feed: redaction at the ceiling, order by commit, deletes, audit, auth."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from classification.tiers import Tier
from portal.enterprises import workflow
from portal.enterprises.models import Enterprise
from portal.sharing.models import Exchange
from tests.factories import EnterpriseFactory, UserFactory, release, submitted_enterprise

# Committed transactions, as agencies see them: the feed only shows settled changes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ENTERPRISES = "/api/v1/sharing/enterprises/changes/"


def by_key(results: list[dict], key: str = "uscc") -> dict[str, dict]:
    return {row[key]: row for row in results}


def test_a_registered_client_never_receives_vetted_fields(agency):
    enterprise = EnterpriseFactory(name="南宁共享测试科技有限公司")
    registered = agency("城市工信局", "registered")
    vetted = agency("国防科工办", "vetted")

    low = by_key(registered.pull_all()[0])[enterprise.uscc]
    high = by_key(vetted.pull_all()[0])[enterprise.uscc]

    assert low["op"] == high["op"] == "upsert"
    assert low["record"]["name"] == "南宁共享测试科技有限公司"
    assert "contacts" in low["record"]["redacted"]
    assert "contacts" not in low["record"]
    assert "0771-5551234" not in str(low) and "liming@example.cn" not in str(low)
    assert high["record"]["contacts"][0]["phone"] == "0771-5551234"


def test_a_vetted_item_is_not_sent_to_a_registered_client(agency):
    enterprise = EnterpriseFactory()
    release(enterprise, Tier.VETTED)
    registered = agency("城市工信局", "registered")
    vetted = agency("国防科工办", "vetted")

    assert enterprise.uscc not in by_key(registered.pull_all()[0])
    assert by_key(vetted.pull_all()[0])[enterprise.uscc]["op"] == "upsert"


def test_a_change_through_the_workflow_appears_after_the_cursor(agency):
    EnterpriseFactory()
    client = agency()
    first, cursor = client.pull_all()
    assert first and cursor

    owner = UserFactory(username="owner1")
    reviewer = UserFactory(username="reviewer1", roles=["reviewer"])
    enterprise = submitted_enterprise(owner, n=901)
    assert client.pull_all(since=cursor)[0] == []  # submitted is not released: nothing to say
    workflow.approve(reviewer, enterprise)

    after, _ = client.pull_all(since=cursor)
    assert [row["uscc"] for row in after] == [enterprise.uscc]
    assert after[0]["record"]["name"] == "广西测试901科技有限公司"


def test_two_changes_in_overlapping_transactions_are_both_delivered(agency):
    """The transaction that starts first commits last: its change must not fall behind the
    cursor that the other one's change moved on."""
    early, late = EnterpriseFactory(name="先开始的企业"), EnterpriseFactory(name="后开始的企业")
    client = agency()
    _, cursor = client.pull_all()

    written, release_early = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                Enterprise.objects.get(pk=early.pk).save()  # journaled in this transaction
                written.set()
                release_early.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert written.wait(timeout=30)
    with transaction.atomic():
        Enterprise.objects.get(pk=late.pk).save()  # starts later, commits first

    seen, cursor = client.pull_all(since=cursor)
    # The early transaction still runs, so nothing after it is settled yet.
    assert early.uscc not in by_key(seen)
    release_early.set()
    thread.join(timeout=30)

    rest, _ = client.pull_all(since=cursor)
    delivered = [row["uscc"] for row in seen + rest]
    assert sorted(delivered) == sorted([early.uscc, late.uscc])


def test_a_profile_that_leaves_the_view_becomes_a_delete_for_those_who_saw_it(agency):
    enterprise = EnterpriseFactory()
    vetted = agency("国防科工办", "vetted")
    _, cursor = vetted.pull_all()
    registered = agency("城市工信局", "registered")

    release(enterprise, Tier.VETTED)  # above the registered client's ceiling
    reviewer = UserFactory(username="reviewer2", roles=["reviewer"])
    workflow.revoke(reviewer, enterprise, "资质造假")

    after, _ = vetted.pull_all(since=cursor)
    assert [(row["uscc"], row["op"]) for row in after] == [(enterprise.uscc, "delete")]
    assert "record" not in after[0]
    # The registered client may have received it while it was public: the delete goes too.
    assert by_key(registered.pull_all()[0])[enterprise.uscc]["op"] == "delete"


def test_a_record_never_released_is_never_named(agency):
    owner = UserFactory(username="owner3")
    draft = submitted_enterprise(owner, n=903)
    client = agency("国防科工办", "vetted")
    assert draft.uscc not in by_key(client.pull_all()[0])


def test_pages_are_bounded_and_resume_from_the_cursor(agency):
    made = {EnterpriseFactory().uscc for _ in range(7)}
    client = agency()
    page = client.pull(limit=3)
    assert len(page["results"]) == 3 and page["has_more"] is True
    every, _ = client.pull_all(limit=3)
    assert made <= set(by_key(every)) and len(every) == len(by_key(every))


def test_every_pull_is_in_the_sharing_log(agency):
    EnterpriseFactory()
    client = agency()
    first = client.pull(limit=1)
    client.pull(since=first["next_cursor"], limit=5)
    log = list(Exchange.objects.filter(client=client.client).order_by("pk"))
    assert [entry.direction for entry in log] == ["pull", "pull"]
    assert log[0].endpoint == ENTERPRISES and log[0].record_count == 1
    assert log[0].cursor_from == "" and log[0].cursor_to == first["next_cursor"]
    assert log[1].cursor_from == first["next_cursor"]


def test_a_revoked_client_gets_401_on_its_next_request_and_no_new_token(agency):
    from portal.sharing import clients

    client = agency()
    assert client.get(ENTERPRISES).status_code == 200
    clients.revoke(client.client)
    answer = client.get(ENTERPRISES)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"]
    assert client.login()["status"] == 401


def test_an_expired_client_gets_401(agency):
    client = agency(expires_on=date.today() + timedelta(days=1))
    assert client.get(ENTERPRISES).status_code == 200
    client.client.expires_on = date.today() - timedelta(days=1)
    client.client.save()
    assert client.get(ENTERPRISES).status_code == 401


def test_a_token_opens_only_the_feeds_of_its_scopes(agency):
    client = agency(scopes="notices:read")
    response = client.get(ENTERPRISES)
    assert response.status_code == 403
    assert response.json()["error"]["code"]
    assert client.get("/api/v1/sharing/notices/changes/").status_code == 200


def test_without_a_token_or_with_a_person_token_the_feed_is_401(agency, client):
    assert client.get(ENTERPRISES).status_code == 401
    assert client.get(ENTERPRISES, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401


def test_a_bad_cursor_or_limit_is_a_clear_400(agency):
    client = agency()
    for params in ({"since": "yesterday"}, {"since": "1.2.3"}, {"limit": "0"}, {"limit": "x"}):
        response = client.get(ENTERPRISES, **params)
        assert response.status_code == 400
        body = response.json()["error"]
        assert set(body) == {"code", "message", "fields"}
        assert set(body["fields"]) & {"since", "limit"}


def test_notices_feed_redacts_at_the_ceiling(agency, make_notice):
    notice = make_notice(tier=Tier.PUBLIC)
    registered = agency("城市工信局", "registered", "notices:read")
    vetted = agency("国防科工办", "vetted", "notices:read")

    low = by_key(registered.pull_all("notices")[0], "id")[str(notice.pk)]
    high = by_key(vetted.pull_all("notices")[0], "id")[str(notice.pk)]
    assert "contact" not in low["record"] and "contact" in low["record"]["redacted"]
    assert high["record"]["contact"]["name"] == "王参谋"


def test_a_snapshot_loads_everything_visible_then_the_feed_continues(agency):
    import json

    shown = [EnterpriseFactory() for _ in range(3)]
    hidden = EnterpriseFactory()
    release(hidden, Tier.VETTED)
    client = agency("城市工信局", "registered")
    response = client.get("/api/v1/sharing/enterprises/snapshot/")
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    records, tail = lines[:-1], lines[-1]
    assert {line["uscc"] for line in records} == {e.uscc for e in shown}
    assert all("contacts" not in line["record"] for line in records)
    assert tail["count"] == 3
    entry = Exchange.objects.get(client=client.client, endpoint__endswith="/snapshot/")
    assert (entry.record_count, entry.cursor_to) == (3, tail["next_cursor"])

    changed = Enterprise.objects.get(pk=shown[0].pk)
    changed.name = "快照之后改名科技有限公司"
    changed.save()
    after, _ = client.pull_all(since=tail["next_cursor"])
    assert [(row["uscc"], row["record"]["name"]) for row in after] == [
        (shown[0].uscc, "快照之后改名科技有限公司")
    ]


def test_an_import_appears_after_the_cursor(agency, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from tests.enterprises.importing_helpers import row, write_csv

    client = agency()
    _, cursor = client.pull_all()
    path = write_csv(tmp_path / "list.csv", [row(951), row(952)])
    call_command("import_enterprises", str(path), "--no-progress", stdout=StringIO())
    after, _ = client.pull_all(since=cursor)
    assert sorted(r["record"]["name"] for r in after) == [
        "南宁测试951科技有限公司",
        "南宁测试952科技有限公司",
    ]
