"""The access matrix of issue 4: role × tier × surface, asserted in both directions.

Every cell says whether the item must be visible on that surface, and a visible item's
redacted fields are checked too. A surface is one entry of ``SURFACES``: a function
``(world, user, item) -> bool`` answering "does this user see this item here?". Pages, the
REST API, search, feeds and exports add their entry as they land; the expectations stay the
same for all of them, because there is one policy.

The number of cells checked is printed at the end of the run (``conftest.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from classification import policy
from classification.redaction import redact
from classification.tiers import Tier, rank
from portal.enterprises.models import Enterprise

from .conftest import MATRIX_CELLS, MATRIX_TIERS, World

ROLES = (
    "anonymous",
    "registered",
    "vetted",
    "vetted_other",
    "procurement",
    "granted",
    "expired",
    "group_member",
    "enterprise_member",
    "officer",
)

#: What each role reads without a grant (the expectations, written out independently).
CLEARANCE = {
    "anonymous": Tier.PUBLIC,
    "registered": Tier.REGISTERED,
    "vetted": Tier.VETTED,
    "vetted_other": Tier.VETTED,
    "procurement": Tier.VETTED,
    "granted": Tier.REGISTERED,
    "expired": Tier.REGISTERED,
    "group_member": Tier.REGISTERED,
    "enterprise_member": Tier.VETTED,
    "officer": Tier.TARGETED,
}
#: Roles holding a grant in force on the targeted (and the draft) item.
GRANTED = {"granted", "group_member", "enterprise_member"}

#: Fields whose redaction is checked, with their declared tiers (Enterprise.classification).
FIELDS = {
    "name": None,
    "legal_representative": Tier.REGISTERED,
    "contacts": Tier.VETTED,
    "qualification_documents": Tier.VETTED,
}


def expected_visible(role: str, tier: str) -> bool:
    if role == "officer":
        return True
    if tier == "draft":
        return False  # the author and staff only; a grant does not release a draft
    if tier == Tier.TARGETED:
        return role in GRANTED
    return rank(tier) <= rank(CLEARANCE[role])


def expected_redacted(role: str, tier: str) -> list[str]:
    item_tier = Tier.PUBLIC if tier == "draft" else tier
    reads_all = role == "officer" or (tier == Tier.TARGETED and role in GRANTED)
    hidden = []
    for name, declared in FIELDS.items():
        field_tier = max((item_tier, declared or item_tier), key=rank)
        readable = reads_all or (
            field_tier != Tier.TARGETED and rank(field_tier) <= rank(CLEARANCE[role])
        )
        if not readable:
            hidden.append(name)
    return sorted(hidden)


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _fresh(user):
    """Each cell acts as a new request: a new user object, nothing cached from another cell."""
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return type(user).objects.get(pk=user.pk)


def _policy_visible(world: World, user, item: Enterprise) -> bool:
    return policy.visible(Enterprise.objects.all(), _fresh(user)).filter(pk=item.pk).exists()


def _policy_count(world: World, user, item: Enterprise) -> bool:
    everything = Enterprise.objects.all()
    with_item = policy.visible(everything, _fresh(user)).count()
    without = policy.visible(everything.exclude(pk=item.pk), _fresh(user)).count()
    assert with_item - without in (0, 1)
    return with_item - without == 1


def _policy_can_view(world: World, user, item: Enterprise) -> bool:
    return policy.can_view(_fresh(user), item)


def _policy_get_or_404(world: World, user, item: Enterprise) -> bool:
    from django.http import Http404

    try:
        policy.get_visible_or_404(Enterprise.objects.all(), _fresh(user), pk=item.pk)
    except Http404:
        return False
    return True


def _search_hits(world: World, user, item: Enterprise) -> bool:
    from search.queries import supplier_search

    results = supplier_search(_fresh(user), item.name, page_size=100)
    return any(hit.id == item.pk for hit in results.hits)


def _search_total(world: World, user, item: Enterprise) -> bool:
    """The total and the facet counts move by exactly one when the item is visible."""
    from search.queries import supplier_search

    results = supplier_search(_fresh(user), "", {"region": [item.region_id]}, page_size=1)
    regions = {value.key: value.count for value in results.facets["region"]}
    assert regions.get(item.region_id, 0) == results.total
    others = len(world.items) - 1  # the other items of the world in the same county
    visible_others = sum(
        policy.can_view(_fresh(user), other) and other.status == "approved"
        for other in world.items.values()
        if other.pk != item.pk
    )
    assert 0 <= results.total - visible_others - _background(world, user) <= 1, others
    return results.total - visible_others - _background(world, user) == 1


def _background(world: World, user) -> int:
    """Released profiles in the world's county that are not matrix items (the vetted ones)."""
    items = {item.pk for item in world.items.values()}
    region = next(iter(world.items.values())).region_id
    return (
        policy.visible(Enterprise.objects.filter(region_id=region, status="approved"), _fresh(user))
        .exclude(pk__in=items)
        .count()
    )


def _search_suggest(world: World, user, item: Enterprise) -> bool:
    from search.queries import suggest

    return item.name in suggest(_fresh(user), item.name[:2], limit=10)


#: name -> (world, user, item) -> visible?
SURFACES: dict[str, Callable[[World, object, Enterprise], bool]] = {
    "policy.visible": _policy_visible,
    "policy.visible.count": _policy_count,
    "policy.can_view": _policy_can_view,
    "policy.get_visible_or_404": _policy_get_or_404,
    "search.hits": _search_hits,
    "search.total_and_facets": _search_total,
    "search.suggest": _search_suggest,
}

#: The search index holds released items only: drafts are for their authors' dashboards.
RELEASED_ONLY = {"search.hits", "search.total_and_facets", "search.suggest"}


@pytest.mark.parametrize("surface", sorted(SURFACES))
@pytest.mark.parametrize("tier", MATRIX_TIERS)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(module_world: World, indexed_world, role: str, tier: str, surface: str) -> None:
    user = module_world.users[role]
    item = module_world.items[tier]
    seen = SURFACES[surface](module_world, user, item)
    MATRIX_CELLS[0] += 1
    want = expected_visible(role, tier) and not (surface in RELEASED_ONLY and tier == "draft")
    assert seen is want, f"{role} {'must' if want else 'must not'} see {tier} on {surface}"


@pytest.mark.parametrize("tier", MATRIX_TIERS)
@pytest.mark.parametrize("role", ROLES)
def test_matrix_redaction(module_world: World, role: str, tier: str) -> None:
    """Visible cells: exactly the fields above the role's reach are dropped and listed."""
    if not expected_visible(role, tier):
        assert not policy.can_view(_fresh(module_world.users[role]), module_world.items[tier])
        MATRIX_CELLS[0] += 1
        return
    item = module_world.items[tier]
    data = {name: f"{name}-value" for name in FIELDS}
    result = redact(item, _fresh(module_world.users[role]), data)
    MATRIX_CELLS[0] += 1
    want = expected_redacted(role, tier)
    assert result["redacted"] == want
    assert sorted(set(FIELDS) - set(want)) == sorted(k for k in result if k != "redacted")
