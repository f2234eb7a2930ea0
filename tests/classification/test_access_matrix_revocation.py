"""Expired grants and revoked vetting take effect at once, on every surface.

Each test looks at an item through a page, the REST API and search while the access holds,
takes the access away the way it happens in life (a reviewer revokes an approval, a grant's
expiry passes, an officer withdraws a grant, someone leaves a group or an enterprise), and
looks again straight away with the same signed-in session: no re-login, no re-index, no cache
to expire. Search is checked without draining the index outbox, because the engine compares
grant expiries with its own clock and the user's principals are read per query.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from classification import changes, policy
from portal.accounts import roles
from portal.enterprises import workflow
from portal.enterprises.models import Enterprise

from .conftest import World, fresh, make_user


@pytest.fixture
def indexed(world: World, search_index) -> World:
    """The world's enterprises in this test's private index."""
    from search import indexing

    indexing.record("enterprises", Enterprise.objects.values_list("pk", flat=True))
    search_index()
    return world


def _search_finds(user, enterprise: Enterprise) -> bool:
    from portal.enterprises.supplier_search import supplier_search

    results = supplier_search(fresh(user), enterprise.name, page_size=100)
    return any(hit.id == enterprise.pk for hit in results.hits)


def _sees(world: World, user, tier: str) -> dict[str, bool]:
    """What ``user`` finds of the items at ``tier`` on each surface, one fresh request each."""
    client = world.client(user)
    enterprise, notice, paper = world.items[tier], world.notices[tier], world.papers[tier]
    statuses = {
        "enterprise.page": client.get(f"/enterprises/{enterprise.pk}/").status_code,
        "enterprise.api": client.get(f"/api/v1/enterprises/{enterprise.pk}/").status_code,
        "notice.page": client.get(notice.url).status_code,
        "notice.api": client.get(f"/api/v1/notices/{notice.pk}/").status_code,
        "paper.page": client.get(paper.url).status_code,
        "paper.api": client.get(f"/api/v1/papers/{paper.pk}/").status_code,
    }
    assert set(statuses.values()) <= {200, 404}, statuses
    seen = {name: status == 200 for name, status in statuses.items()}
    notices = client.get("/api/v1/notices/", {"page_size": 100}).json()
    seen["notice.api.list"] = notice.pk in {row["id"] for row in notices["results"]}
    seen["search"] = _search_finds(user, enterprise)
    return seen


def _all(value: bool, seen: dict[str, bool]) -> None:
    wrong = sorted(name for name, shown in seen.items() if shown is not value)
    assert not wrong, f"{'hidden' if value else 'still shown'} on {wrong}"


def test_revoked_vetting_hides_vetted_items_at_once(indexed: World) -> None:
    """A reviewer revokes the approval of the only enterprise a user owns: the user is no
    longer vetted, and vetted items vanish from every surface on their very next request."""
    user = indexed.users["vetted"]
    _all(True, _sees(indexed, user, "vetted"))

    reviewer = make_user("reviewer-revoking", roles.REVIEWER)
    own = Enterprise.objects.get(group__user=user)
    workflow.revoke(reviewer, own, "资质证书已失效。")

    _all(False, _sees(indexed, user, "vetted"))
    _all(True, _sees(indexed, user, "registered"))  # still a verified, signed-in user
    # The revoked profile itself left the directory and the API for everyone at once.
    anonymous = indexed.client(None)
    assert anonymous.get(f"/enterprises/{own.pk}/").status_code == 404
    assert anonymous.get(f"/api/v1/enterprises/{own.pk}/").status_code == 404
    assert f'href="/enterprises/{own.pk}/"' not in anonymous.get("/enterprises/").content.decode()


def _let_expire(user, indexed: list[Enterprise]) -> None:
    """Move the clock past the end of ``user``'s grants, as seen by both stores.

    The clock cannot be moved, so the ends are moved instead, by the same amount on both
    sides: in the database (what ``visible`` reads) and in the indexed documents'
    ``timed_grants.until`` (what the engine compares with its own ``now`` at query time).
    The documents are edited in place rather than re-indexed, because re-indexing drops an
    expired grant and would prove nothing about the engine-side comparison.
    """
    from search import engine
    from search.registry import alias

    ended = timezone.now() - timedelta(seconds=1)
    updated = 0
    for model in policy.classified_models():
        user_table, _group_table = policy.grant_tables(model)
        updated += user_table.objects.filter(user=user).update(valid_until=ended)
    assert updated
    script = {
        "source": "for (g in ctx._source.timed_grants) {"
        " if (g.principal == params.p) { g.until = params.until } }",
        "params": {"p": f"u:{user.pk}", "until": ended.isoformat()},
    }
    for enterprise in indexed:  # the released ones: drafts are not in the index
        engine.client().update(
            index=alias("enterprises"), id=str(enterprise.pk), body={"script": script}
        )
    engine.refresh(alias("enterprises"))


def test_expired_grant_hides_targeted_items_at_once(indexed: World) -> None:
    """The grants' expiry passes: the grantee loses the targeted items on the next request,
    search included, with no re-index and no cache to wait for."""
    user = indexed.users["granted"]
    _all(True, _sees(indexed, user, "targeted"))

    _let_expire(user, [indexed.items["targeted"]])

    _all(False, _sees(indexed, user, "targeted"))
    _all(True, _sees(indexed, user, "registered"))


def test_withdrawn_grant_and_left_group_or_enterprise_take_effect_at_once(
    indexed: World,
) -> None:
    """An officer withdraws the group's grant on the notice; a group member leaves the group;
    an enterprise member leaves the granted enterprise: each loses access at once."""
    officer = indexed.officer
    member = indexed.users["group_member"]
    _all(True, _sees(indexed, member, "targeted"))

    notice = indexed.notices["targeted"]
    row = notice.group_grants.get(group=indexed.group)
    changes.revoke_grant(officer, row)
    client = indexed.client(member)
    assert client.get(notice.url).status_code == 404
    assert client.get(f"/api/v1/notices/{notice.pk}/").status_code == 404
    assert client.get(indexed.papers["targeted"].url).status_code == 200  # that grant stays

    member.groups.remove(indexed.group)
    _all(False, _sees(indexed, member, "targeted"))

    insider = indexed.users["enterprise_member"]
    _all(True, _sees(indexed, insider, "targeted"))
    indexed.granted_enterprise.remove_owner(insider)
    _all(False, _sees(indexed, insider, "targeted"))
