"""The access matrix of ``docs/release.md``: role × tier × surface, asserted in both directions.

Every cell says whether the item must be visible on that surface, and a visible item's
redacted fields are checked too. A surface is one entry of ``SURFACES``: a function
``(world, user, item) -> bool`` answering "does this user see this item here?". Pages, the
REST API, search, feeds and exports add their entry as they land; the expectations stay the
same for all of them, because there is one policy.

This module covers enterprises: the policy functions, search (hits, totals and facets,
suggestions), the profile page (200/404, redacted values absent from the HTML), the directory
(listed or not, and its count), the API list (present/absent, count, ``redacted``) and detail
(200 with ``redacted`` / 404), and the scanned-qualification download. Notices and papers are
in ``test_access_matrix_content.py`` (their search surfaces in
``test_access_matrix_content_search.py``); "revocations take effect at once" in
``test_access_matrix_revocation.py``.

The number of cells checked is printed at the end of the run (``conftest.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from classification import policy
from classification.redaction import redact
from portal.enterprises.models import Enterprise
from tests.tally import MATRIX_CELLS

from .conftest import (
    CLEARANCE,
    ENTERPRISE_FIELDS,
    GRANTED,
    MATRIX_TIERS,
    ROLES,
    World,
    client_for,
    expected_hidden,
    expected_others,
    expected_visible,
    fresh,
    tier_of,
)

#: Re-exported for the other matrix files (search, matching, alerts…).
__all__ = ["CLEARANCE", "GRANTED", "ROLES", "SURFACES", "World", "expected_visible"]

#: Fields whose redaction is checked, with their declared tiers (Enterprise.classification).
FIELDS = ENTERPRISE_FIELDS


def expected_redacted(role: str, tier: str) -> list[str]:
    return expected_hidden(role, tier, "enterprise")


_client = client_for
_fresh = fresh


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
    from portal.enterprises.supplier_search import supplier_search

    results = supplier_search(_fresh(user), item.name, page_size=100)
    return any(hit.id == item.pk for hit in results.hits)


def _search_total(world: World, user, item: Enterprise) -> bool:
    """The total and the facet counts move by exactly one when the item is visible."""
    from portal.enterprises.supplier_search import supplier_search

    key = ("search.total", world.role_of(user), item.region_id)
    results = world.cached(
        key, lambda: supplier_search(_fresh(user), "", {"region": [item.region_id]}, page_size=1)
    )
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
    from portal.enterprises.supplier_search import suggest

    return item.name in suggest(_fresh(user), item.name[:2], limit=10)


def _check_secrets(world: World, user, item: Enterprise, text: str) -> None:
    """Each sensitive value of ``item`` is in ``text`` exactly when the role reads that field."""
    role, tier = world.role_of(user), tier_of(world.items, item)
    hidden = expected_redacted(role, tier)
    for name, value in world.secrets[("enterprise", tier)].items():
        shown = value in text
        problem = "leaks" if shown else "is missing"
        assert shown is (name not in hidden), f"{role}: {name} of {tier} {problem}"


def _page_profile(world: World, user, item: Enterprise) -> bool:
    """/enterprises/<pk>/: 200 with exactly the readable fields' values, or 404."""
    response = world.client(user).get(f"/enterprises/{item.pk}/")
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 404:
        return False
    _check_secrets(world, user, item, response.content.decode())
    return True


def _list_background(world: World) -> int:
    """Profiles that are not matrix items: the vetting enterprises, all public and approved,
    so every role sees them on every list."""

    def count() -> int:
        others = Enterprise.objects.exclude(pk__in=[item.pk for item in world.items.values()])
        assert others.count() == others.filter(tier="public", status="approved").count()
        return others.count()

    return world.cached("enterprises.background", count)


def _listed(world: World, user, item: Enterprise, ids: set[int], count: int, released_only: bool):
    """Whether ``item`` is on a list of ``ids`` whose total is ``count``; the total must be
    the background plus the other items the role sees, plus one when ``item`` is listed."""
    seen = item.pk in ids
    role, tier = world.role_of(user), tier_of(world.items, item)
    want = _list_background(world) + expected_others(role, tier, released_only) + int(seen)
    assert count == want, f"{role}: list counts {count}, expected {want}"
    return seen


def _directory(world: World, user) -> tuple[str, set[int], int]:
    response = world.client(user).get("/enterprises/")
    assert response.status_code == 200
    page = response.context["page"]
    return response.content.decode(), {e.pk for e in page.object_list}, page.paginator.count


def _page_directory(world: World, user, item: Enterprise) -> bool:
    """/enterprises/: listed (a link to the profile) or not, and the count shown agrees."""
    key = ("enterprises.directory", world.role_of(user))
    html, ids, count = world.cached(key, lambda: _directory(world, user))
    assert (f'href="/enterprises/{item.pk}/"' in html) is (item.pk in ids)
    shown = re.search(r'class="result-count"[^>]*>\D*(\d+)', html)
    assert shown and int(shown.group(1)) == count
    return _listed(world, user, item, ids, count, released_only=True)


def _api_list_body(world: World, user) -> dict:
    response = world.client(user).get("/api/v1/enterprises/", {"page_size": 100})
    assert response.status_code == 200
    return response.json()


def _api_list(world: World, user, item: Enterprise) -> bool:
    """GET /api/v1/enterprises/: present with the right ``redacted`` (and nothing it names),
    or absent; ``count`` agrees."""
    key = ("enterprises.api.list", world.role_of(user))
    body = world.cached(key, lambda: _api_list_body(world, user))
    rows = {row["id"]: row for row in body["results"]}
    assert len(rows) == body["count"]
    seen = _listed(world, user, item, set(rows), body["count"], released_only=False)
    if seen:
        _check_api_row(world, user, item, rows[item.pk])
    return seen


def _check_api_row(world: World, user, item: Enterprise, row: dict) -> None:
    role, tier = world.role_of(user), tier_of(world.items, item)
    hidden = expected_redacted(role, tier)
    assert row["redacted"] == hidden
    for name in FIELDS:
        if name != "qualification_documents":  # a link on each qualification, checked below
            assert (name in row) is (name not in hidden)
    _check_secrets(world, user, item, str(row))


def _api_detail(world: World, user, item: Enterprise) -> bool:
    """GET /api/v1/enterprises/<pk>/: 200 with the role's ``redacted``, or 404 (API shape)."""
    response = world.client(user).get(f"/api/v1/enterprises/{item.pk}/")
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 404:
        assert response.json()["error"]["code"] == "not_found"
        return False
    _check_api_row(world, user, item, response.json())
    return True


def _document_scan(world: World, user, item: Enterprise) -> bool:
    """The scanned qualification through the policy-checked view: 200 for readers of
    ``qualification_documents``, 404 for everyone else; never a public /media/ address."""
    tier = tier_of(world.items, item)
    scan = world.qualifications[tier]
    url = world.secrets[("enterprise", tier)]["qualification_documents"]
    path = Path(scan.document.path).resolve()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    client = world.client(user)
    assert client.get(f"{settings.MEDIA_URL}{scan.document.name}").status_code == 404
    response = client.get(url)
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    return response.status_code == 200


#: name -> (world, user, item) -> visible?
SURFACES: dict[str, Callable[[World, object, Enterprise], bool]] = {
    "policy.visible": _policy_visible,
    "policy.visible.count": _policy_count,
    "policy.can_view": _policy_can_view,
    "policy.get_visible_or_404": _policy_get_or_404,
    "search.hits": _search_hits,
    "search.total_and_facets": _search_total,
    "search.suggest": _search_suggest,
    "page.profile": _page_profile,
    "page.directory": _page_directory,
    "api.list": _api_list,
    "api.detail": _api_detail,
}

#: The search index and the public directory hold released items only: drafts are for their
#: authors' dashboards and the reviewers.
RELEASED_ONLY = {"search.hits", "search.total_and_facets", "search.suggest", "page.directory"}
#: Surfaces that show one field rather than the item: visible = the field is readable.
FIELD_SURFACES = {"document.scan": ("qualification_documents", _document_scan)}


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


@pytest.mark.parametrize("surface", sorted(FIELD_SURFACES))
@pytest.mark.parametrize("tier", MATRIX_TIERS)
@pytest.mark.parametrize("role", ROLES)
def test_matrix_fields(module_world: World, role: str, tier: str, surface: str) -> None:
    """Downloads of a sensitive field: served exactly to the roles that read the field."""
    name, check = FIELD_SURFACES[surface]
    seen = check(module_world, module_world.users[role], module_world.items[tier])
    MATRIX_CELLS[0] += 1
    want = expected_visible(role, tier) and name not in expected_redacted(role, tier)
    assert seen is want, f"{role} {'must' if want else 'must not'} get {name} of {tier}"


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
