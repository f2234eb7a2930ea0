"""Snapshots: a whole profile as JSON and back, without loss."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.enterprises.models import Enterprise, Patent, QualificationType
from portal.enterprises.snapshots import (
    LISTS,
    PROFILE_FIELDS,
    apply_snapshot,
    empty_snapshot,
    snapshot,
)
from tests.factories import EnterpriseFactory, ProductFactory, QualificationFactory, uscc_for

pytestmark = pytest.mark.django_db


def full_snapshot(uscc: str) -> dict:
    return {
        "uscc": uscc,
        "name": "桂林精密仪器有限公司",
        "short_name": "桂林精仪",
        "legal_representative": "陈华",
        "founded_on": "2008-05-12",
        "registered_capital": "5000.5",  # canonical: normalised, never "5E+3"
        "staff_size": "100-299",
        "ownership": "private",
        "region": "450305",
        "address": "桂林市七星区高新路8号",
        "website": "https://www.example.cn",
        "industries": ["D0101", "D0201"],
        "description": "<script>alert(1)</script> 精密测量仪器。",
        "capabilities": "精密加工、北斗授时",
        "capability_tags": ["北斗", "授时"],
        "qualifications": [
            {
                "type": "secrecy",
                "number": "桂BM2024001",
                "issuer": "广西国防科工办",
                "level": "二级",
                "valid_from": "2024-01-01",
                "valid_until": "2029-12-31",
                "document": "",
            },
            {
                "type": "gjb9001c",
                "number": "GJB-01",
                "issuer": "",
                "level": "",
                "valid_from": None,
                "valid_until": None,
                "document": "",
            },
        ],
        "products": [{"name": "授时终端", "description": "北斗三号"}],
        "technologies": [{"name": "高精度授时", "description": ""}],
        "patents": [
            {
                "number": "ZL2020",
                "title": "一种授时装置",
                "is_defense": True,
                "granted_on": "2021-03-01",
            }
        ],
        "cases": [{"title": "某部授时系统", "client": "某单位", "year": 2022, "description": ""}],
        "contacts": [
            {"name": "李明", "job_title": "经理", "phone": "0773-1234567", "email": "li@example.cn"}
        ],
    }


def test_round_trip_snapshot_apply_snapshot() -> None:
    enterprise = EnterpriseFactory(uscc=uscc_for(1, "450305"), contact=False)
    data = full_snapshot(enterprise.uscc)
    apply_snapshot(enterprise, data)
    fresh = Enterprise.objects.get(pk=enterprise.pk)
    assert snapshot(fresh) == data
    assert fresh.registered_capital == Decimal("5000.5")
    assert fresh.founded_on == date(2008, 5, 12)
    assert fresh.description.startswith("<script>")  # stored as typed, escaped on output
    assert Patent.objects.get(enterprise=fresh).is_defense


def test_snapshot_of_rows_applies_back_unchanged() -> None:
    enterprise = EnterpriseFactory(uscc=uscc_for(2), registered_capital=Decimal("300"))
    QualificationFactory(enterprise=enterprise)
    ProductFactory(enterprise=enterprise)
    before = snapshot(enterprise)
    assert before["registered_capital"] == "300"
    apply_snapshot(enterprise, before)
    assert snapshot(Enterprise.objects.get(pk=enterprise.pk)) == before


def test_apply_replaces_lists_wholesale() -> None:
    enterprise = EnterpriseFactory(uscc=uscc_for(3))
    ProductFactory(enterprise=enterprise, name="旧产品")
    data = snapshot(enterprise)
    data["products"] = [
        {"name": "新产品甲", "description": ""},
        {"name": "新产品乙", "description": ""},
    ]
    data["contacts"] = []
    apply_snapshot(enterprise, data)
    assert list(enterprise.products.values_list("name", flat=True)) == ["新产品甲", "新产品乙"]
    assert not enterprise.contacts.exists()


def test_empty_snapshot_has_every_key() -> None:
    data = empty_snapshot(uscc=uscc_for(4), name="新公司", region="450103")
    assert set(data) == set(PROFILE_FIELDS) | set(LISTS)
    assert data["name"] == "新公司" and data["industries"] == [] and data["products"] == []
    assert data["founded_on"] is None and data["short_name"] == ""
    assert QualificationType.objects.filter(code="secrecy").exists()
