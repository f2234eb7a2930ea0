"""The registry's bulk growth (``demo.grow`` through the import writer's COPY path): it adds
only the profiles a smaller registry lacks, and the rows it writes are the ones the app writes
(the approved version's snapshot equals the live rows read back)."""

from __future__ import annotations

import pytest
from django.db import connection

from portal.enterprises import demo
from portal.enterprises.models import Enterprise, EnterpriseVersion
from portal.enterprises.snapshots import snapshot
from portal.enterprises.uscc import validate_uscc
from search.models import OutboxEntry

pytestmark = pytest.mark.django_db


def test_growth_adds_what_is_missing_and_writes_what_the_app_writes() -> None:
    assert demo.grow(30, seed_number=11)[0] == 30
    first_ids = set(Enterprise.objects.values_list("pk", flat=True))
    created, first = demo.grow(45, seed_number=11)
    assert created == 15
    assert Enterprise.objects.count() == 45
    assert first_ids < set(Enterprise.objects.values_list("pk", flat=True))
    assert Enterprise.objects.filter(uscc=first).exists()
    for enterprise in Enterprise.objects.order_by("pk")[::9]:
        validate_uscc(enterprise.uscc)
        assert enterprise.created_at is not None and enterprise.updated_at is not None
        version = EnterpriseVersion.objects.get(enterprise=enterprise)
        assert version.state == "approved" and version.number == 1
        assert version.data == snapshot(enterprise)
    # The search outbox heard of every profile (bulk writes fire no signals).
    assert set(OutboxEntry.objects.values_list("object_id", flat=True)) >= first_ids


def test_copied_ids_come_from_the_tables_sequence() -> None:
    demo.grow(5, seed_number=12)
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM enterprises_enterprise_id_seq")
        last = cursor.fetchone()[0]
    assert max(Enterprise.objects.values_list("pk", flat=True)) <= last
    # A row saved the ordinary way afterwards gets the next id, not a collision.
    later = Enterprise.objects.create(
        uscc="91450100MA5KXXXX0X", name="后来者有限公司", region_id="450100"
    )
    assert later.pk > last


def test_copied_values_take_the_fields_defaults_and_the_sequence() -> None:
    from portal.enterprises.importing.copying import copy_values
    from portal.enterprises.models import Product

    demo.grow(1, seed_number=13)
    enterprise = Enterprise.objects.get()
    Product.objects.filter(enterprise=enterprise).delete()
    made = Product.objects.create(enterprise=enterprise, name="先写的一件", position=0)
    copy_values(Product, [{"enterprise_id": enterprise.pk, "name": "只给名称", "position": 1}])
    copied = Product.objects.get(name="只给名称")
    # What the row did not give is what a new instance holds; the id follows the sequence.
    assert copied.description == Product(name="x").description == ""
    assert copied.pk > made.pk
    # The version a growth writes is stamped now (auto_now_add), not left empty.
    version = EnterpriseVersion.objects.get(enterprise=enterprise)
    assert version.created_at is not None and version.decided_at is not None
