"""The yearly re-confirmation: states, reminders once per cycle, the link, ranking, counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.enterprises import confirmation, workflow
from portal.enterprises.models import Enterprise
from portal.enterprises.search_indexes import present
from portal.enterprises.supplier_search import supplier_search
from tests.factories import EnterpriseFactory, UserFactory, submitted_enterprise

pytestmark = pytest.mark.django_db


def aged(enterprise: Enterprise, days: int) -> Enterprise:
    """Confirmed ``days`` ago (saved, so that the index follows)."""
    enterprise.confirmed_at = enterprise.approved_at = timezone.now() - timedelta(days=days)
    enterprise.save()
    return enterprise


def owned(name: str, days: int) -> Enterprise:
    owner = UserFactory(username=f"owner-{days}", email=f"owner{days}@example.cn")
    return aged(EnterpriseFactory(owners=[owner], name=name), days)


def test_states_follow_the_months_since_the_last_confirmation():
    assert confirmation.state(owned("甲", 30)) == "confirmed"
    assert confirmation.state(owned("乙", 370)) == "due"
    assert confirmation.state(owned("丙", 400)) == "overdue"


def test_approval_confirms():
    reviewer = UserFactory(username="reviewer", roles=["reviewer"])
    enterprise = submitted_enterprise(UserFactory(username="owner"), n=931)
    workflow.approve(reviewer, enterprise)
    enterprise.refresh_from_db()
    assert enterprise.confirmed_at is not None
    assert confirmation.state(enterprise) == "confirmed"


def test_reminders_go_once_per_cycle_to_due_profiles_only(django_capture_on_commit_callbacks):
    due, overdue = owned("广西到期科技有限公司", 370), owned("广西逾期科技有限公司", 420)
    owned("广西新近科技有限公司", 20)
    with django_capture_on_commit_callbacks(execute=True):
        assert confirmation.send_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["owner370@example.cn", "owner420@example.cn"]
    assert "/enterprises/confirm/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        assert confirmation.send_reminders() == 0  # the same cycle: nothing again
    assert len(mail.outbox) == 2

    # A year on: reminded, confirmed five days later, and now a year after that confirmation.
    Enterprise.objects.filter(pk=due.pk).update(
        confirmation_reminded_at=timezone.now() - timedelta(days=376),
        confirmed_at=timezone.now() - timedelta(days=371),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert confirmation.send_reminders() == 1
    assert mail.outbox[-1].to == ["owner370@example.cn"]
    assert overdue.pk  # overdue and already reminded this cycle: not again


def test_the_signed_link_confirms_and_a_forged_one_does_not(client):
    enterprise = owned("广西链接科技有限公司", 400)
    token = confirmation.link_token(enterprise)
    page = client.get(f"/enterprises/confirm/{token}/")
    assert page.status_code == 200 and "广西链接科技有限公司" in page.content.decode()
    assert client.post(f"/enterprises/confirm/{token}/").status_code == 302
    enterprise.refresh_from_db()
    assert confirmation.state(enterprise) == "confirmed"
    forged = client.get(f"/enterprises/confirm/{token[:-2]}xx/")
    assert forged.status_code == 404


def test_only_the_owner_confirms_from_the_dashboard(client):
    enterprise = owned("广西看板科技有限公司", 400)
    client.force_login(UserFactory(username="stranger"))
    assert client.post(f"/enterprises/{enterprise.pk}/confirm/").status_code == 404
    client.force_login(enterprise.owners.get())
    dashboard = client.get("/enterprises/dashboard/").content.decode()
    assert f"/enterprises/{enterprise.pk}/confirm/" in dashboard
    assert client.post(f"/enterprises/{enterprise.pk}/confirm/").status_code == 302
    enterprise.refresh_from_db()
    assert confirmation.state(enterprise) == "confirmed"


def test_counts_by_state():
    owned("甲", 10), owned("乙", 370), owned("丙", 400), owned("丁", 500)
    assert confirmation.counts(Enterprise.objects.all()) == {
        "confirmed": 1,
        "due": 1,
        "overdue": 2,
    }


def test_overdue_profiles_rank_below_confirmed_equals_and_show_to_be_updated(search_index):
    # The overdue profile is the better text match (in its name twice), and still comes last.
    stale = aged(EnterpriseFactory(name="南宁北斗北斗科技有限公司"), 420)
    fresh = aged(EnterpriseFactory(name="南宁北斗科技有限公司"), 10)
    search_index()
    shown = [present(hit) for hit in supplier_search(None, "北斗").hits]
    assert [hit["id"] for hit in shown] == [fresh.pk, stale.pk]
    assert [hit["overdue"] for hit in shown] == [False, True]
