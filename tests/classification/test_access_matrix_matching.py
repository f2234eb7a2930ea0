"""The access matrix on matching: role × tier, both sides, both directions.

Supplier side: each signed-in role authors a demand notice that every world enterprise fits;
its match list holds exactly the enterprises the role may see (released ones), each redacted
as the role may read it. Who may list a notice's suppliers at all (procurement, officers, the
author) is a cell too: everyone else gets 404. Notice side: the roles owning an enterprise
(and the officer) list the fitting open demand notices: exactly the world's notices they may
see, with the notice's fields redacted and the words of hidden technical requirements neither
scoring nor shown. Expectations come from conftest.py, written independently of the policy.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework.test import APIClient

from portal.enterprises.models import Enterprise, Industry, Product
from portal.matching.notices import match_notices
from portal.matching.suppliers import match_suppliers
from portal.notices.models import Kind, NoticeIndexPage, NoticePage
from tests.tally import MATRIX_CELLS

from .conftest import (
    MATRIX_TIERS,
    ROLES,
    World,
    expected_hidden,
    expected_visible,
)

pytestmark = pytest.mark.engine

#: Roles that may list a notice's supplier matches without being its author.
MAY_LIST_SUPPLIERS = {"procurement", "officer"}
#: Role -> the enterprise name it owns (the officer lists for any enterprise).
OWNED = {"vetted": "认证甲", "vetted_other": "认证乙", "enterprise_member": "定向企业"}


def _fresh(user):
    if user is None:
        return AnonymousUser()
    return type(user).objects.get(pk=user.pk)


def _api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(_fresh(user))
    return client


@pytest.fixture(scope="module")
def matching_world(module_world: World) -> World:
    """The world made matchable: every enterprise offers 北斗定位终端 in the 北斗 industry, every
    world notice is a demand, and each signed-in role authors a demand notice of its own."""
    beidou = Industry.objects.get(code="D0101")
    for enterprise in Enterprise.objects.all():
        enterprise.industries.add(beidou)
        Product.objects.create(enterprise=enterprise, name="北斗定位终端", description="厘米级定位")
    NoticePage.objects.filter(pk__in=[n.pk for n in module_world.notices.values()]).update(
        kind=Kind.DEMAND
    )
    index = NoticeIndexPage.objects.get(slug="notices")
    module_world.authored = {}
    for role, user in module_world.users.items():
        if user is None:
            continue
        notice = NoticePage(
            title=f"{role} 北斗定位终端采购",
            slug=f"matching-{role}",
            summary="采购北斗定位终端",
            kind=Kind.DEMAND,
            tier="public",
            owner=user,
            deadline=timezone.now() + timedelta(days=20),
            live=False,
        )
        index.add_child(instance=notice)
        notice.industries.set([beidou])
        notice.save_revision(user=user).publish()
        module_world.authored[role] = NoticePage.objects.get(pk=notice.pk)
    return module_world


@pytest.fixture(scope="module")
def matching_indexed(matching_world, indexed_world) -> World:
    """``indexed_world`` indexes after ``matching_world`` changed the enterprises."""
    return matching_world


@pytest.mark.parametrize("tier", MATRIX_TIERS)
@pytest.mark.parametrize("role", ROLES)
def test_supplier_matches(matching_indexed: World, role: str, tier: str) -> None:
    world = matching_indexed
    item = world.items[tier]
    user = world.users[role]
    MATRIX_CELLS[0] += 1
    if user is None:  # anonymous users author nothing and may list no matches
        response = _api(None).get(f"/api/v1/notices/{world.authored['registered'].pk}/matches/")
        assert response.status_code == 404
        return
    page = match_suppliers(_fresh(user), world.authored[role], page_size=100)
    rows = {match.item["id"]: match.item for match in page.results}
    want = expected_visible(role, tier) and tier != "draft"
    assert (item.pk in rows) is want, f"{role} {'must' if want else 'must not'} get {tier}"
    assert page.total == len(rows)
    if want:
        hidden = "legal_representative" in expected_hidden(role, tier)
        assert ("legal_representative" in rows[item.pk]["redacted"]) is hidden
        assert ("legal_representative" not in rows[item.pk]) is hidden


@pytest.mark.parametrize("tier", MATRIX_TIERS)
@pytest.mark.parametrize("role", ROLES)
def test_who_lists_supplier_matches(matching_indexed: World, role: str, tier: str) -> None:
    """The world's notices belong to their author: a role lists their suppliers only when it
    sees the (live) notice and is a procurement officer or an officer; 404 otherwise."""
    notice = matching_indexed.notices[tier]
    response = _api(matching_indexed.users[role]).get(f"/api/v1/notices/{notice.pk}/matches/")
    MATRIX_CELLS[0] += 1
    want = expected_visible(role, tier) and tier != "draft" and role in MAY_LIST_SUPPLIERS
    assert response.status_code == (200 if want else 404), f"{role} on {tier}"


def _own_enterprise(world: World, role: str) -> Enterprise | None:
    if role == "officer":
        return world.items["public"]
    if role in OWNED:
        return Enterprise.objects.get(name=OWNED[role])
    return None


@pytest.mark.parametrize("tier", MATRIX_TIERS)
@pytest.mark.parametrize("role", ROLES)
def test_notice_matches(matching_indexed: World, role: str, tier: str) -> None:
    world = matching_indexed
    notice = world.notices[tier]
    enterprise = _own_enterprise(world, role)
    MATRIX_CELLS[0] += 1
    if enterprise is None:  # owns no enterprise: the public one's fits are not theirs to list
        response = _api(world.users[role]).get(
            f"/api/v1/enterprises/{world.items['public'].pk}/matches/"
        )
        assert response.status_code == 404
        return
    page = match_notices(_fresh(world.users[role]), enterprise, page_size=100)
    rows = {match.item["id"]: match for match in page.results}
    want = expected_visible(role, tier) and tier != "draft"
    assert (notice.pk in rows) is want, f"{role} {'must' if want else 'must not'} get {tier}"
    if want:
        hidden = expected_hidden(role, tier, "notice")
        assert rows[notice.pk].item["redacted"] == hidden
        # 厘米 occurs only in the notice's technical requirements
        assert ("厘米" in rows[notice.pk].terms) is ("requirements" not in hidden)
