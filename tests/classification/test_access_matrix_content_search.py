"""The access matrix over the search surfaces of notices and papers.

Same roles, tiers and expectations as the other matrix files (``conftest.py``), over what the
search service answers about content: the notice search (hits, total, kind and status facet
counts), ``/api/v1/notices/?q=`` (hits, count, highlights), the site search API
(``/api/v1/search/`` per type, with its per-type counts) and the site search page
(``/search/``). The world's notices and papers are indexed through the outbox, as a save would
index them; a draft is never indexed, so it must stay out for every role.

Both directions are asserted: the item is found exactly when the role may see it live, the
totals and facet counts equal what the role may see (a hidden item moves no count), and no
value of a field the role may not read appears in a hit or a highlight.
"""

from __future__ import annotations

import re

import pytest

from classification.tiers import Tier
from tests.tally import MATRIX_CELLS

from .conftest import (
    MATRIX_TIERS,
    NOTICE_KINDS,
    ROLES,
    World,
    expected_hidden,
    expected_visible,
    field_readable,
    fresh,
    tier_of,
)

#: The word every matrix notice and paper title carries, so that one query finds them all.
COMMON = "矩阵"


def released(role: str, tier: str) -> bool:
    """Search serves live pages only: a draft is never in an index."""
    return expected_visible(role, tier) and tier != "draft"


def _released_count(role: str, kind: str | None = None) -> int:
    """How many of the world's notices (of ``kind``, when given) ``role`` must find."""
    return sum(
        released(role, tier) and (kind is None or NOTICE_KINDS[tier] == kind)
        for tier in MATRIX_TIERS
    )


def _no_unreadable_values(world: World, role: str, text: str) -> None:
    """A hit or highlight shows a sensitive value only of a field the role reads."""
    for (kind, tier), values in world.secrets.items():
        for name, value in values.items():
            if value in text:
                assert field_readable(role, tier, kind, name), (
                    f"{role}: {name} of the {tier} {kind} leaks into search"
                )


def _items(world: World, kind: str) -> dict:
    return world.notices if kind == "notice" else world.papers


# --- surfaces -------------------------------------------------------------------------------


def _notice_search_hit(world: World, user, notice) -> bool:
    """``notice_search`` by the notice's own title: the notice is a hit or it is not."""
    from portal.notices.notice_search import notice_search

    results = notice_search(fresh(user), notice.title, page_size=100)
    role = world.role_of(user)
    for hit in results.hits:
        _no_unreadable_values(world, role, str(hit.source) + str(hit.highlight))
    return any(hit.id == notice.pk for hit in results.hits)


def _notice_search_counts(world: World, user, notice) -> bool:
    """The total and the kind and status facet counts of the common query equal what the role
    may see; the notice's own kind count moves by one exactly when it is visible."""
    from portal.notices.notice_search import notice_search

    role = world.role_of(user)
    results = world.cached(
        ("content.search.counts", role),
        lambda: notice_search(fresh(user), COMMON, page_size=100),
    )
    assert results.total == _released_count(role)
    kinds = {value.key: value.count for value in results.facets["kind"]}
    assert sum(kinds.values()) == results.total
    status = {value.key: value.count for value in results.facets["status"]}
    assert status == {"open": results.total, "closed": 0}
    kind = NOTICE_KINDS[tier_of(world.notices, notice)]
    others = sum(
        released(role, tier) and NOTICE_KINDS[tier] == kind
        for tier in MATRIX_TIERS
        if world.notices[tier].pk != notice.pk
    )
    assert kinds.get(kind, 0) - others in (0, 1)
    seen = notice.pk in {hit.id for hit in results.hits}
    assert seen is (kinds.get(kind, 0) - others == 1)
    return seen


def _notice_api_search(world: World, user, notice) -> bool:
    """GET /api/v1/notices/?q=: present or absent, the count is the role's, the highlights
    carry no unreadable value, a listed notice names its redacted fields."""
    role = world.role_of(user)

    def fetch() -> dict:
        response = world.client(user).get("/api/v1/notices/", {"q": COMMON, "page_size": 100})
        assert response.status_code == 200, response.status_code
        return response.json()

    body = world.cached(("content.search.api", role), fetch)
    assert body["count"] == len(body["results"]) == _released_count(role)
    assert body["count"] == sum(body["facets"]["kind"].values())
    _no_unreadable_values(world, role, str(body))
    rows = {row["id"]: row for row in body["results"]}
    if notice.pk in rows:
        tier = tier_of(world.notices, notice)
        assert rows[notice.pk]["redacted"] == expected_hidden(role, tier, "notice")
    return notice.pk in rows


def _site_api(world: World, user, kind: str) -> dict:
    def fetch() -> dict:
        response = world.client(user).get(
            "/api/v1/search/", {"q": COMMON, "type": kind, "page_size": 100}
        )
        assert response.status_code == 200, response.status_code
        return response.json()

    return world.cached(("content.site.api", world.role_of(user), kind), fetch)


def _site_api_search(world: World, user, item, kind: str) -> bool:
    """GET /api/v1/search/?type=…: the item is listed or not; the count of its type is the
    role's (enterprises are counted too, but only the world's notices and papers are checked)."""
    role = world.role_of(user)
    body = _site_api(world, user, kind)
    ids = {row["id"] for row in body["results"] if row["type"] == kind}
    assert len(ids) == body["count"] == _released_count(role)
    counts = {value["key"]: value["count"] for value in body["facets"]["type"]}
    assert counts[kind] == body["count"]
    _no_unreadable_values(world, role, str(body))
    return item.pk in ids


def _site_api_notice(world: World, user, notice) -> bool:
    return _site_api_search(world, user, notice, "notice")


def _site_api_paper(world: World, user, paper) -> bool:
    return _site_api_search(world, user, paper, "paper")


def _site_page(world: World, user, item, kind: str) -> bool:
    """/search/?type=…: the item's title is on the page or not; nothing unreadable is."""
    role = world.role_of(user)

    def fetch() -> str:
        response = world.client(user).get("/search/", {"q": COMMON, "type": kind})
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    html = world.cached(("content.site.page", role, kind), fetch)
    _no_unreadable_values(world, role, html)
    return item.title in re.sub(r"</?mark>", "", html)  # titles come highlighted


def _site_page_notice(world: World, user, notice) -> bool:
    return _site_page(world, user, notice, "notice")


def _site_page_paper(world: World, user, paper) -> bool:
    return _site_page(world, user, paper, "paper")


SURFACES = {
    "notice.search.hits": ("notice", _notice_search_hit),
    "notice.search.counts": ("notice", _notice_search_counts),
    "notice.api.search": ("notice", _notice_api_search),
    "site.api.notice": ("notice", _site_api_notice),
    "site.api.paper": ("paper", _site_api_paper),
    "site.page.notice": ("notice", _site_page_notice),
    "site.page.paper": ("paper", _site_page_paper),
}

CELLS = [(role, tier, name) for name in sorted(SURFACES) for tier in MATRIX_TIERS for role in ROLES]


@pytest.fixture(scope="module")
def content_index(indexed_world: World) -> World:
    """The world's notices and papers in the module's private indices, sent through the
    outbox and the drain as a publish would send them."""
    from search import engine, indexing
    from search.registry import alias

    world = indexed_world
    indexing.record("notices", [notice.pk for notice in world.notices.values()])
    indexing.record("papers", [paper.pk for paper in world.papers.values()])
    indexing.drain()
    for name in ("notices", "papers"):
        engine.refresh(alias(name))
    assert world.notices["draft"].live is False
    return world


@pytest.mark.engine
@pytest.mark.parametrize(("role", "tier", "surface"), CELLS)
def test_content_search_matrix(content_index: World, role: str, tier: str, surface: str) -> None:
    kind, check = SURFACES[surface]
    item = _items(content_index, kind)[tier]
    seen = check(content_index, content_index.users[role], item)
    MATRIX_CELLS[0] += 1
    want = released(role, tier)
    assert seen is want, f"{role} {'must' if want else 'must not'} find {tier} on {surface}"


def test_draft_item_tiers_are_not_what_hides_them(module_world: World) -> None:
    """The draft items carry a public tier: only their draft state keeps them out of search."""
    assert module_world.notices["draft"].tier == Tier.PUBLIC
    assert module_world.papers["draft"].tier == Tier.PUBLIC
