"""The access matrix on e-mail alerts: for every signed-in role, a supplier alert and a notice
alert list exactly the world's items that role may see, and no sensitive value reaches any
alert (an alert lists titles and summaries at the item's own tier only).

One alert run per role for the module (on the real engine, through ``portal.alerts.delivery``
as the beat task runs it); each cell then checks one (role, kind, tier). Anonymous visitors
cannot save searches, so they have no row. Drafts are never in alerts: the index and the
notice list hold released, live items only.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.alerts import delivery
from portal.alerts.models import AlertItem, Kind, SavedSearch
from tests.tally import MATRIX_CELLS

from .conftest import MATRIX_TIERS, ROLES, World, expected_visible

SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")
KINDS = ("enterprise", "notice")


def _sent_ids(saved: SavedSearch) -> set[int]:
    return set(AlertItem.objects.filter(saved_search=saved).values_list("item_id", flat=True))


@pytest.fixture(scope="module")
def alerts(indexed_world: World, django_db_blocker) -> dict[str, dict]:
    """role -> {"enterprise": ids sent, "notice": ids sent, "text": the whole e-mail}."""
    world = indexed_world
    before = timezone.now() - timedelta(hours=1)
    sent: dict[str, dict] = {}
    with django_db_blocker.unblock():
        for role in SIGNED_IN:
            user = world.users[role]
            supplier = SavedSearch.objects.create(
                user=user, kind=Kind.SUPPLIER, name="全部企业", created=before
            )
            notice = SavedSearch.objects.create(
                user=user, kind=Kind.NOTICE, name="矩阵通知", q="矩阵", created=before
            )
            outbox = getattr(mail, "outbox", [])
            count = len(outbox)
            delivery.run_for_user(user.pk)
            messages = mail.outbox[count:]
            assert len(messages) == 1, f"{role}: one e-mail per user per run"
            message = messages[0]
            sent[role] = {
                "enterprise": _sent_ids(supplier),
                "notice": _sent_ids(notice),
                "text": message.subject + message.body + message.alternatives[0][0],
            }
    return sent


def _item(world: World, kind: str, tier: str):
    return world.items[tier] if kind == "enterprise" else world.notices[tier]


@pytest.mark.parametrize("tier", MATRIX_TIERS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", SIGNED_IN)
def test_alert_lists_what_the_role_may_see(
    module_world: World, alerts, role: str, kind: str, tier: str
) -> None:
    item = _item(module_world, kind, tier)
    listed = item.pk in alerts[role][kind]
    title = item.name if kind == "enterprise" else item.title
    MATRIX_CELLS[0] += 1
    want = expected_visible(role, tier) and tier != "draft"
    assert listed is want, f"{role} {'must' if want else 'must not'} get the {tier} {kind}"
    assert (title in alerts[role]["text"]) is want


@pytest.mark.parametrize("tier", MATRIX_TIERS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", SIGNED_IN)
def test_alert_carries_no_sensitive_value(
    module_world: World, alerts, role: str, kind: str, tier: str
) -> None:
    secrets = module_world.secrets[(kind, tier)]
    MATRIX_CELLS[0] += 1
    leaked = [name for name, value in secrets.items() if value in alerts[role]["text"]]
    assert leaked == [], f"{role}'s alert shows {leaked} of the {tier} {kind}"


def test_every_released_tier_reaches_the_officer(module_world: World, alerts) -> None:
    """The matrix is not vacuous: every released item of both kinds was found and sent."""
    for kind in KINDS:
        released = {_item(module_world, kind, t).pk for t in MATRIX_TIERS if t != "draft"}
        assert released <= alerts["officer"][kind]
