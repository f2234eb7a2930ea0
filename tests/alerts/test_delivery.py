"""Supplier alerts end to end on the real engine: exactly the new visible matches, once, also
across a run that fails halfway; frequencies; the policy applied at send time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings

from classification import changes
from classification.tiers import Tier
from portal.alerts import delivery
from portal.alerts.models import AlertItem, Frequency, SavedSearch
from tests.factories import UserFactory

from . import backends
from .conftest import T0, at, touch

pytestmark = pytest.mark.django_db


def _sent_names(message) -> list[str]:
    return sorted(line[2:].split(" (")[0] for line in message.body.splitlines() if line[:2] == "- ")


@pytest.fixture
def directory(search_index, make_enterprise):
    """Three 北斗 suppliers: one from before the search was saved, two released after it."""
    old = touch(make_enterprise("南宁北斗老牌科技有限公司"), T0 - timedelta(days=3))
    new1 = touch(make_enterprise("柳州北斗导航设备有限公司"), at(1))
    new2 = touch(make_enterprise("桂林北斗终端制造有限公司"), at(2))
    other = touch(make_enterprise("玉林稀土材料有限公司", industries=["D05"]), at(2))
    search_index()
    return {"old": old, "new1": new1, "new2": new2, "other": other}


def test_exactly_the_new_matches_are_sent_once(user, saved_search, directory, search_index):
    saved = saved_search(q="北斗")
    report = delivery.run_due(at(3))
    assert report.as_dict() == {"users": 1, "sent": 1, "items": 2, "failed": []}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert _sent_names(message) == ["柳州北斗导航设备有限公司", "桂林北斗终端制造有限公司"]
    html = message.alternatives[0][0]
    assert "柳州北斗导航设备有限公司" in html and "玉林稀土" not in html
    assert f"/enterprises/{directory['new1'].pk}/" in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    saved.refresh_from_db()
    assert saved.last_run_at == at(3) and saved.last_sent_at == at(3)
    assert set(AlertItem.objects.values_list("item_id", flat=True)) == {
        directory["new1"].pk,
        directory["new2"].pk,
    }

    # The next tick: nothing new, nothing sent (the lookback window still covers both items).
    assert delivery.run_due(at(3.1)).items == 0
    assert len(mail.outbox) == 1

    # A later update of one and a brand-new supplier: only the brand-new one is new.
    touch(directory["new1"], at(4))
    newest = touch(directory["old"], at(4))  # the old one updated after the search: it counts
    search_index()
    delivery.run_due(at(5))
    assert len(mail.outbox) == 2
    assert _sent_names(mail.outbox[1]) == [newest.name]


def test_one_mail_per_user_listing_each_saved_search(user, saved_search, directory):
    saved_search(q="北斗", name="北斗企业")
    saved_search(q="稀土", name="稀土企业")
    saved_search(q="石墨烯", name="石墨烯企业")  # no match: no section
    delivery.run_due(at(3))
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "北斗企业" in body and "稀土企业" in body and "石墨烯企业" not in body
    assert body.count("/alerts/unsubscribe/") == 3  # one per listed search, plus "all"


def test_filters_are_applied(user, saved_search, directory):
    saved_search(filters={"industry": ["D05"]})
    delivery.run_due(at(3))
    assert _sent_names(mail.outbox[0]) == ["玉林稀土材料有限公司"]


@override_settings(EMAIL_BACKEND="tests.alerts.backends.FlakyBackend")
def test_a_failed_run_loses_and_duplicates_nothing(user, saved_search, directory, search_index):
    bob = UserFactory(username="bob")
    saved_alice = saved_search(q="北斗")
    saved_bob = saved_search(owner=bob, q="北斗")
    backends.FAILING.add(user.email)
    try:
        report = delivery.run_due(at(3))
    finally:
        backends.FAILING.clear()
    assert report.failed == [user.pk] and report.sent == 1
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert not AlertItem.objects.filter(saved_search=saved_alice).exists()
    saved_alice.refresh_from_db()
    assert saved_alice.last_run_at is None  # rolled back with the send: due again
    assert AlertItem.objects.filter(saved_search=saved_bob).count() == 2

    # Meanwhile one more supplier; the next run sends Alice everything once, Bob only the new.
    late = touch(directory["old"], at(3.5))
    search_index()
    report = delivery.run_due(at(4))
    assert report.failed == [] and report.sent == 2
    by_user = {tuple(m.to): _sent_names(m) for m in mail.outbox[1:]}
    assert by_user == {
        (user.email,): sorted([directory["new1"].name, directory["new2"].name, late.name]),
        (bob.email,): [late.name],
    }
    assert AlertItem.objects.filter(saved_search=saved_alice).count() == 3
    delivery.run_due(at(5))
    assert len(mail.outbox) == 3


def test_frequencies(user, saved_search, directory, search_index):
    daily = saved_search(q="北斗", frequency=Frequency.DAILY, name="daily")
    weekly = saved_search(q="北斗", frequency=Frequency.WEEKLY, name="weekly")
    delivery.run_due(at(3))  # first run of both
    assert len(mail.outbox) == 1 and mail.outbox[0].body.count("桂林北斗终端制造有限公司") == 2

    touch(directory["old"], at(4))
    search_index()
    assert delivery.due_user_ids(at(5)) == []
    assert delivery.run_due(at(5)).users == 0
    assert delivery.due_user_ids(at(3 + 24)) == [user.pk]
    delivery.run_due(at(3 + 24))  # the daily one is due, the weekly one not yet
    assert len(mail.outbox) == 2
    assert "daily" in mail.outbox[1].body and "weekly" not in mail.outbox[1].body
    daily.refresh_from_db()
    weekly.refresh_from_db()
    assert daily.last_run_at == at(27) and weekly.last_run_at == at(3)
    delivery.run_due(at(3 + 24 * 7))
    assert len(mail.outbox) == 3
    assert "weekly" in mail.outbox[2].body and "daily" not in mail.outbox[2].body
    assert directory["old"].name in mail.outbox[2].body


def test_paused_searches_and_unverified_users_get_nothing(saved_search, directory):
    saved_search(q="北斗", active=False)
    unverified = UserFactory(username="carol", email_verified_at=None)
    carol_search = saved_search(owner=unverified, q="北斗")
    report = delivery.run_due(at(3))
    assert report.users == 1 and mail.outbox == []
    carol_search.refresh_from_db()
    assert carol_search.last_run_at == at(3)


def test_revoked_grant_is_not_sent_even_before_the_index_catches_up(
    user, saved_search, search_index, make_enterprise
):
    officer = UserFactory(username="officer", roles=["classification_officer"])
    secret = touch(make_enterprise("北斗定向合作有限公司", tier=Tier.TARGETED), at(1))
    public = touch(make_enterprise("北斗公开合作有限公司"), at(1))
    changes.grant(officer, secret, user)
    search_index()
    saved = saved_search(q="北斗合作")
    grant = secret.user_grants.get(user=user)
    changes.revoke_grant(officer, grant)  # the re-index waits for the commit: index is stale
    delivery.run_due(at(3))
    assert _sent_names(mail.outbox[0]) == [public.name]
    assert list(AlertItem.objects.filter(saved_search=saved).values_list("item_id", flat=True)) == [
        public.pk
    ]


def test_granted_item_is_sent_to_the_grantee_only(saved_search, search_index, make_enterprise):
    officer = UserFactory(username="officer", roles=["classification_officer"])
    grantee = UserFactory(username="grantee")
    outsider = UserFactory(username="outsider")
    secret = touch(make_enterprise("北斗定向合作有限公司", tier=Tier.TARGETED), at(1))
    changes.grant(officer, secret, grantee)
    touch(secret, at(1))
    search_index()
    saved_search(owner=grantee, q="北斗合作")
    saved_search(owner=outsider, q="北斗合作")
    delivery.run_due(at(3))
    assert [(m.to, _sent_names(m)) for m in mail.outbox] == [([grantee.email], [secret.name])]
    assert SavedSearch.objects.get(user=outsider).last_sent_at is None


def test_a_digest_claimed_and_never_sent_is_sent_once_by_the_next_run(
    user, saved_search, directory
):
    """A worker killed between the claim's commit and the mail server leaves the digest
    unsent; the next run sends it as claimed (same Message-ID), then nothing again."""
    saved_search(q="北斗")
    claimed, _before = delivery._claim(user.pk, at(3))  # the worker dies right after this
    assert mail.outbox == [] and claimed.sent_at is None

    report = delivery.run_due(at(3.1))
    assert report.sent == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.extra_headers["Message-ID"] == claimed.message_id
    assert _sent_names(message) == ["柳州北斗导航设备有限公司", "桂林北斗终端制造有限公司"]
    claimed.refresh_from_db()
    assert claimed.sent_at is not None

    delivery.run_due(at(3.2))
    assert len(mail.outbox) == 1
