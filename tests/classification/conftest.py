"""Fixtures of the classification tests: people in every role and enterprises at every tier.

``World`` is the cast of the access matrix: one author owning the items, and one user per
role of issue 4's matrix, with grants on the targeted (and draft) items to a user, a group and
an enterprise, plus one grant that has expired.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from classification import changes
from classification.tiers import Tier
from portal.accounts import roles
from portal.accounts.models import User
from portal.enterprises.models import Enterprise, Region, Status
from portal.enterprises.uscc import make_uscc, org_code_check_char

_serial = itertools.count(1)

#: How many matrix cells were checked this session, reported at the end (see the hook below).
MATRIX_CELLS: list[int] = [0]


def uscc(n: int) -> str:
    body = f"{n:08d}"
    return make_uscc(f"91450100{body}{org_code_check_char(body)}")


def make_user(name: str, role: str | None = None, verified: bool = True, **extra) -> User:
    user = User.objects.create_user(name, f"{name}@example.com", "pw-123456789", **extra)
    if verified:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_enterprise(
    name: str,
    tier: str = Tier.PUBLIC,
    status: str = Status.APPROVED,
    owners: tuple[User, ...] = (),
    **extra,
) -> Enterprise:
    region = Region.objects.order_by("code").first()
    enterprise = Enterprise.objects.create(
        uscc=uscc(next(_serial)),
        name=name,
        region=region,
        tier=tier,
        status=status,
        legal_representative="张三",
        **extra,
    )
    enterprise.owners.add(*owners)
    return enterprise


#: The tiers of the matrix: the four release tiers and "draft" (an unreleased item).
MATRIX_TIERS = ("public", "registered", "vetted", "targeted", "draft")


@dataclass
class World:
    author: User
    officer: User
    users: dict[str, User | None] = field(default_factory=dict)
    items: dict[str, Enterprise] = field(default_factory=dict)
    group: Group | None = None
    granted_enterprise: Enterprise | None = None


def build_world() -> World:
    author = make_user("author", roles.ENTERPRISE)
    officer = make_user("officer", roles.CLASSIFICATION_OFFICER)
    vetted = make_user("vetted", roles.ENTERPRISE)
    vetted2 = make_user("vetted2", roles.ENTERPRISE)
    make_enterprise("认证甲", owners=(vetted,))
    make_enterprise("认证乙", owners=(vetted2,))
    member = make_user("member", roles.ENTERPRISE)
    granted_enterprise = make_enterprise("定向企业", owners=(member,))
    group = Group.objects.create(name="定向组")
    in_group = make_user("in_group")
    in_group.groups.add(group)
    world = World(author=author, officer=officer, group=group)
    world.granted_enterprise = granted_enterprise
    world.users = {
        "anonymous": None,
        "registered": make_user("registered"),
        "vetted": vetted,
        "vetted_other": vetted2,
        "procurement": make_user("procurement", roles.PROCUREMENT),
        "granted": make_user("granted"),
        "expired": make_user("expired"),
        "group_member": in_group,
        "enterprise_member": member,
        "officer": officer,
    }
    for tier in MATRIX_TIERS:
        if tier == "draft":
            item = make_enterprise("草稿企业", status=Status.DRAFT, owners=(author,))
        else:
            item = make_enterprise(f"{tier}企业", tier=tier, owners=(author,))
        world.items[tier] = item
    soon = timezone.now() + timedelta(days=30)
    for tier in ("targeted", "draft"):
        item = world.items[tier]
        changes.grant(officer, item, world.users["granted"], soon)
        changes.grant(officer, item, group, None)
        changes.grant(officer, item, granted_enterprise, soon)
        expired = changes.grant(officer, item, world.users["expired"], soon)
        type(expired).objects.filter(pk=expired.pk).update(
            valid_until=timezone.now() - timedelta(minutes=1)
        )
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()


def _restore_migration_data(connection) -> None:
    """A transactional test run before this module leaves the tables flushed (Django restores
    the migrations' data only at the start of the next such test): put it back first."""
    if Region.objects.exists():
        return
    contents = getattr(connection, "_test_serialized_contents", None)
    if not contents:  # pragma: no cover - serialization is on by default
        pytest.fail("The test database lost its reference data and has no serialized copy.")
    connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """One world for a whole module (the matrix), rolled back at the module's end."""
    from django.db import connection, transaction

    with django_db_blocker.unblock():
        _restore_migration_data(connection)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            connection.close()


@pytest.fixture(scope="module")
def indexed_world(module_world):
    """The module's world in a private search index (the real engine of `make test`)."""
    import uuid

    from django.test import override_settings

    from search import engine, indexing
    from search.documents import DOCUMENTS, alias

    engine.client.cache_clear()
    try:
        engine.health()
    except engine.EngineUnavailable as error:  # pragma: no cover - environment problem
        pytest.fail(f"OpenSearch is not reachable ({error}); run the suite with `make test`.")
    override = override_settings(SEARCH_INDEX_PREFIX=f"matrix{uuid.uuid4().hex[:8]}")
    override.enable()
    try:
        from portal.enterprises.models import Enterprise

        for name in DOCUMENTS:
            indexing.ensure_index(name)
        indexing.record("enterprises", Enterprise.objects.values_list("pk", flat=True))
        indexing.drain()
        for name in DOCUMENTS:
            engine.refresh(alias(name))
        yield module_world
    finally:
        for name in DOCUMENTS:
            for physical in engine.alias_targets(alias(name)):
                engine.delete_index(physical)
        override.disable()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print the access matrix's cell count without ``-s`` (issue 4: "it prints the number")."""
    if MATRIX_CELLS[0]:
        terminalreporter.write_sep("-", f"access matrix: {MATRIX_CELLS[0]} cells checked")
