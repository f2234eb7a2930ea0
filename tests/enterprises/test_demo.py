"""Demo enterprises: counts, every workflow state, valid codes, determinism, idempotence."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from portal.enterprises.models import (
    Enterprise,
    EnterpriseClaim,
    EnterpriseVersion,
    Patent,
    Qualification,
    Status,
)
from portal.enterprises.reference.aliases import load_region_codes
from portal.enterprises.snapshots import snapshot
from portal.enterprises.uscc import validate_uscc


def _seed(count: int = 20, seed: int = 7) -> None:
    call_command("seed_demo", "--enterprises", str(count), "--seed", str(seed), stdout=StringIO())


@pytest.mark.django_db
def test_seed_creates_approved_firms_and_every_state() -> None:
    _seed()
    approved_ownerless = Enterprise.objects.filter(status=Status.APPROVED, group__user__isnull=True)
    assert approved_ownerless.count() == 20
    states = set(Enterprise.objects.values_list("status", flat=True))
    assert states == {s.value for s in Status}
    assert EnterpriseVersion.objects.filter(
        state="submitted", enterprise__status="approved"
    ).exists()
    assert EnterpriseVersion.objects.filter(state="returned").exclude(reason="").exists()
    demo = Enterprise.objects.filter(group__user__username="enterprise")
    assert set(demo.values_list("status", flat=True)) == {"approved", "draft"}
    assert EnterpriseClaim.objects.filter(claimant__username="enterprise", state="pending").exists()
    for enterprise in Enterprise.objects.all():
        validate_uscc(enterprise.uscc, known_area_codes=load_region_codes())
        assert enterprise.name.endswith("公司")
        assert enterprise.contacts.exists() and enterprise.industries.exists()
        approved = enterprise.versions.filter(state="approved").first()
        if approved is not None and enterprise.status == "approved":
            assert approved.data == snapshot(enterprise)


@pytest.mark.django_db
def test_seed_is_deterministic_and_idempotent() -> None:
    _seed(seed=11)
    first = sorted(Enterprise.objects.values_list("uscc", "name"))
    quals = Qualification.objects.count()
    _seed(seed=11)
    assert sorted(Enterprise.objects.values_list("uscc", "name")) == first
    assert Qualification.objects.count() == quals
    Enterprise.objects.all().delete()
    _seed(seed=11)
    assert sorted(Enterprise.objects.values_list("uscc", "name")) == first


@pytest.mark.django_db
def test_a_larger_set_has_expired_qualifications_and_defence_patents() -> None:
    _seed(count=120, seed=3)
    from portal.enterprises.demo import TODAY

    assert Qualification.objects.filter(valid_until__lt=TODAY).exists()
    assert Qualification.objects.filter(type_id="secrecy").exclude(level="").exists()
    assert Patent.objects.filter(is_defense=True).exists()
    names = list(Enterprise.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
