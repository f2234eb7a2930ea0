"""Fixtures of the classification tests: people in every role and items at every tier.

``World`` is the cast of the access matrix: one author owning the items, and one user per role
(``docs/roles.md``), with grants on the targeted (and draft) items to a user, a group and an
enterprise, plus one grant that has expired. The items are enterprises (``world.items``), notices
(``world.notices``) and papers (``world.papers``), one per tier of ``MATRIX_TIERS``; each carries
distinctive values in its sensitive fields (``world.secrets``) so that a test can assert that a
redacted value never reaches a page.

The expectations (``ROLES``, ``CLEARANCE``, ``expected_visible``, ``expected_hidden``) live
here too, written out independently of ``classification.policy``, so that every matrix file
(enterprises, notices, papers, search, matching…) asserts against the same table.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from classification import changes
from classification.tiers import Tier, rank
from portal.accounts import roles
from portal.accounts.models import User
from portal.enterprises.models import (
    Contact,
    Enterprise,
    Qualification,
    QualificationType,
    Region,
    Status,
)
from portal.enterprises.uscc import make_uscc, org_code_check_char
from tests.factories import login_verified

_serial = itertools.count(1)


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
        **{"legal_representative": "张三", **extra},
    )
    if owners:
        enterprise.add_owners(*owners)
    return enterprise


#: The tiers of the matrix: the four release tiers and "draft" (an unreleased item).
MATRIX_TIERS = ("public", "registered", "vetted", "targeted", "draft")

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

#: Chinese labels of the tiers, for the items' titles.
LABELS = {
    "public": "公开",
    "registered": "注册",
    "vetted": "认证",
    "targeted": "定向",
    "draft": "草稿",
}

#: Sensitive fields of each kind of item with their declared tiers (None: the item's tier),
#: copied from the models' declarations so that a changed default shows up as a failure.
ENTERPRISE_FIELDS: dict[str, str | None] = {
    "name": None,
    "legal_representative": Tier.REGISTERED,
    "contacts": Tier.VETTED,
    "qualification_documents": Tier.VETTED,
}
NOTICE_FIELDS: dict[str, str | None] = {
    "contact": Tier.VETTED,
    "budget": Tier.VETTED,
    "requirements": Tier.VETTED,
    "attachments": Tier.VETTED,
}
PAPER_FIELDS: dict[str, str | None] = {"pdf": Tier.PUBLIC}

#: Per-item field tiers set by the world (an officer's per-item decision), by kind and tier:
#: the public notice shows its budget to registered users and its attachment to everyone; the
#: public paper keeps its PDF for registered users.
FIELD_OVERRIDES: dict[str, dict[str, dict[str, str]]] = {
    "enterprise": {},
    "notice": {"public": {"budget": Tier.REGISTERED, "attachments": Tier.PUBLIC}},
    "paper": {"public": {"pdf": Tier.REGISTERED}},
}
DECLARED = {"enterprise": ENTERPRISE_FIELDS, "notice": NOTICE_FIELDS, "paper": PAPER_FIELDS}

#: Notice kinds per tier, so that the per-kind feeds are exercised with more than one kind.
NOTICE_KINDS = {
    "public": "demand",
    "registered": "supply",
    "vetted": "transfer",
    "targeted": "demand",
    "draft": "policy",
}


def expected_visible(role: str, tier: str) -> bool:
    """May ``role`` know that the world's item at ``tier`` exists (any kind of item)?"""
    if role == "officer":
        return True
    if tier == "draft":
        return False  # the author and staff only; a grant does not release a draft
    if tier == Tier.TARGETED:
        return role in GRANTED
    return rank(tier) <= rank(CLEARANCE[role])


def expected_hidden(role: str, tier: str, kind: str = "enterprise") -> list[str]:
    """The sensitive fields of the ``kind`` item at ``tier`` that ``role`` may not read
    (assuming the role sees the item), sorted like ``redact``'s ``redacted``."""
    item_tier = Tier.PUBLIC if tier == "draft" else tier
    reads_all = role == "officer" or (tier == Tier.TARGETED and role in GRANTED)
    overrides = FIELD_OVERRIDES[kind].get(tier, {})
    hidden = []
    for name, declared in DECLARED[kind].items():
        declared = overrides.get(name, declared)
        field_tier = max((item_tier, declared or item_tier), key=rank)
        readable = reads_all or (
            field_tier != Tier.TARGETED and rank(field_tier) <= rank(CLEARANCE[role])
        )
        if not readable:
            hidden.append(name)
    return sorted(hidden)


def field_readable(role: str, tier: str, kind: str, name: str) -> bool:
    """Whether ``role`` sees the item and reads its field ``name``."""
    return expected_visible(role, tier) and name not in expected_hidden(role, tier, kind)


def expected_others(role: str, tier: str, released_only: bool) -> int:
    """How many of the world's items of one kind, other than the one at ``tier``, ``role``
    must find on a list (``released_only``: a public list, where drafts never appear)."""
    return sum(
        expected_visible(role, other) and not (released_only and other == "draft")
        for other in MATRIX_TIERS
        if other != tier
    )


@dataclass
class World:
    author: User
    officer: User
    users: dict[str, User | None] = field(default_factory=dict)
    items: dict[str, Enterprise] = field(default_factory=dict)
    group: Group | None = None
    granted_enterprise: Enterprise | None = None
    #: NoticePage per tier (the draft one never published).
    notices: dict[str, Any] = field(default_factory=dict)
    #: PaperPage per tier (the draft one never published).
    papers: dict[str, Any] = field(default_factory=dict)
    #: The notice attachment (a Wagtail PrivateDocument) per notice tier.
    documents: dict[str, Any] = field(default_factory=dict)
    #: The scanned qualification (enterprises.Qualification with a document) per enterprise tier.
    qualifications: dict[str, Qualification] = field(default_factory=dict)
    #: Per-user feed token (notices) per signed-in role.
    feed_tokens: dict[str, str] = field(default_factory=dict)
    #: (kind, tier) -> {field name: a value that only readers of that field may ever receive}.
    secrets: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    #: Answers that do not depend on the item (one list per role serves five cells).
    cache: dict[Any, Any] = field(default_factory=dict)
    _clients: dict[str, Any] = field(default_factory=dict)

    def role_of(self, user) -> str:
        """The matrix role of one of the world's users (None is the anonymous visitor)."""
        if user is None:
            return "anonymous"
        return next(role for role, u in self.users.items() if u is not None and u.pk == user.pk)

    def client(self, user):
        """The signed-in test client of ``user``'s role, made once per world.

        Its session row is written when the world is built (``sign_in``), outside the cells'
        rolled-back transactions, so that it stays valid for the module; every request still
        loads the user afresh, so nothing the policy remembers leaks from one cell to another.
        """
        role = self.role_of(user)
        if role not in self._clients:
            self._clients[role] = client_for(user)
        return self._clients[role]

    def sign_in(self) -> None:
        for user in self.users.values():
            self.client(user)

    def cached(self, key, compute: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


def tier_of(items: dict[str, Any], item) -> str:
    """The matrix tier of ``item`` among ``items`` (``world.items``, ``.notices``, ``.papers``)."""
    return next(tier for tier, candidate in items.items() if candidate.pk == item.pk)


def client_for(user):
    """A test client signed in as ``user`` (anonymous for None): one request, one cell.
    Signed in as after the login's code step, so that staff cells reach their pages."""
    from django.test import Client

    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def fresh(user):
    """A new user object for each cell, as Django builds one per request: nothing the policy
    remembered on an object carries over to another cell."""
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return type(user).objects.get(pk=user.pk)


def _grant_all(world: World, item, soon) -> None:
    """The grants of the access matrix on one item: a user, a group, an enterprise, and an
    expired grant (made in force, then moved into the past as time would)."""
    officer = world.officer
    changes.grant(officer, item, world.users["granted"], soon)
    changes.grant(officer, item, world.group, None)
    changes.grant(officer, item, world.granted_enterprise, soon)
    expired = changes.grant(officer, item, world.users["expired"], soon)
    # Still a row (the hourly sweep has not run yet), but no longer in force.
    type(expired).objects.filter(pk=expired.pk).update(
        valid_until=timezone.now() - timedelta(minutes=1)
    )


def _enterprise_secrets(world: World, tier: str, item: Enterprise, n: int) -> None:
    phone = f"0771-5{n}08{n}64"
    Contact.objects.create(enterprise=item, name=f"联络员{LABELS[tier]}{n}", phone=phone)
    scan = Qualification(
        enterprise=item,
        type=QualificationType.objects.order_by("sort_order", "code").first(),
        number=f"QX-{n}",
    )
    scan.document.save(f"matrix-scan-{n}.pdf", ContentFile(b"%PDF-1.4 scan"), save=False)
    scan.save()
    world.qualifications[tier] = scan
    world.secrets[("enterprise", tier)] = {
        "legal_representative": item.legal_representative,
        "contacts": phone,
        "qualification_documents": f"/enterprises/{item.pk}/qualifications/{scan.pk}/document/",
    }


def _make_notice(world: World, tier: str, n: int):
    from wagtail.documents import get_document_model

    from portal.enterprises.models import Industry
    from portal.notices.models import NoticeAttachment, NoticeIndexPage, NoticePage

    index = NoticeIndexPage.objects.get(slug="notices")
    requirement = f"定位精度优于{n}厘米（矩阵{n}）"
    notice = NoticePage(
        title=f"矩阵{LABELS[tier]}通知：北斗定位终端需求{n}",
        slug=f"matrix-notice-{tier}",
        tier=Tier.PUBLIC if tier == "draft" else tier,
        field_tiers=FIELD_OVERRIDES["notice"].get(tier, {}),
        kind=NOTICE_KINDS[tier],
        summary=f"矩阵测试通知（{LABELS[tier]}）：采购北斗三号定位终端。",
        deadline=timezone.now() + timedelta(days=30),
        contact_name=f"联络参谋{LABELS[tier]}{n}",
        contact_phone=f"0771-28{n}0{n}55",
        budget_min=Decimal(f"{n}11.25"),
        budget_max=Decimal(f"{n}99.75"),
        region=Region.objects.get(code="450100"),
        owner=world.author,
        live=False,
        body=[
            {"type": "paragraph", "value": "<p>面向驻桂部队的定位终端需求。</p>"},
            {"type": "requirements", "value": {"heading": "技术要求", "items": [requirement]}},
        ],
    )
    index.add_child(instance=notice)
    notice.industries.set(Industry.objects.filter(code="D01"))
    revision = notice.save_revision(user=world.author)
    if tier != "draft":
        revision.publish()
        notice.refresh_from_db()
    document = get_document_model()(title=f"矩阵附件{n}")
    document.file.save(f"matrix-spec-{n}.pdf", ContentFile(b"%PDF-1.4 spec"), save=False)
    document.save()
    NoticeAttachment.objects.create(notice=notice, document=document, title=f"规格书{n}")
    world.notices[tier] = notice
    world.documents[tier] = document
    world.secrets[("notice", tier)] = {
        "contact": notice.contact_phone,
        "budget": str(notice.budget_max),
        "requirements": requirement,
        "attachments": document.url,
    }


def _make_paper(world: World, tier: str, n: int):
    from portal.papers.demo import create_paper
    from portal.papers.demo_text import Body

    body = Body()
    body.chapter(f"矩阵章节{n}")
    body.text(f"矩阵测试白皮书正文（{LABELS[tier]}）。")
    paper = create_paper(
        body.blocks,
        slug=f"matrix-paper-{tier}",
        title=f"矩阵{LABELS[tier]}白皮书{n}",
        tier=Tier.PUBLIC if tier == "draft" else tier,
        publish=tier != "draft",
    )
    # Publishing checks the publisher's rights; the author owns the paper afterwards.
    overrides = FIELD_OVERRIDES["paper"].get(tier, {})
    type(paper).objects.filter(pk=paper.pk).update(field_tiers=overrides, owner=world.author)
    paper.field_tiers, paper.owner = overrides, world.author
    world.papers[tier] = paper
    world.secrets[("paper", tier)] = {"pdf": f"/papers/{paper.pk}/pdf/"}


def build_world() -> World:
    from portal.notices.models import FeedToken

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
    soon = timezone.now() + timedelta(days=30)
    for n, tier in enumerate(MATRIX_TIERS, start=1):
        legal = f"法人{LABELS[tier]}{n}号"
        if tier == "draft":
            item = make_enterprise(
                "草稿企业", status=Status.DRAFT, owners=(author,), legal_representative=legal
            )
        else:
            item = make_enterprise(
                f"{tier}企业", tier=tier, owners=(author,), legal_representative=legal
            )
        world.items[tier] = item
        _enterprise_secrets(world, tier, item, n)
        _make_notice(world, tier, n)
        _make_paper(world, tier, n)
    for tier in ("targeted", "draft"):
        for item in (world.items[tier], world.notices[tier], world.papers[tier]):
            _grant_all(world, item, soon)
    for role, user in world.users.items():
        if user is not None:
            world.feed_tokens[role] = FeedToken.current(user).token
    world.sign_in()
    return world


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    """A world for one test (tests that change it: revocations, expiries)."""
    from django.utils.functional import empty

    from portal.core import storage

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    storage._storage._wrapped = empty
    try:
        yield build_world()
    finally:
        storage._storage._wrapped = empty


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
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for a whole module (the matrix), rolled back at the module's end; its files
    (scans, attachments, PDFs) go to a throwaway private folder."""
    from django.db import connection, transaction
    from django.test import override_settings
    from django.utils.functional import empty

    from portal.core import storage

    folder = tmp_path_factory.mktemp("matrix-media")
    media = override_settings(
        PRIVATE_MEDIA_ROOT=str(folder / "private"), MEDIA_ROOT=str(folder / "media")
    )
    media.enable()
    storage._storage._wrapped = empty
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
            media.disable()
            storage._storage._wrapped = empty


@pytest.fixture(scope="module")
def indexed_world(module_world):
    """The module's world in a private search index (the real engine of `make test`)."""
    import uuid

    from django.test import override_settings

    from search import engine, indexing
    from search.registry import alias, names

    engine.client.cache_clear()
    try:
        engine.health()
    except engine.EngineUnavailable as error:  # pragma: no cover - environment problem
        pytest.fail(f"OpenSearch is not reachable ({error}); run the suite with `make test`.")
    override = override_settings(SEARCH_INDEX_PREFIX=f"matrix{uuid.uuid4().hex[:8]}")
    override.enable()
    try:
        from portal.enterprises.models import Enterprise

        for name in names():
            indexing.ensure(name)
        indexing.record("enterprises", Enterprise.objects.values_list("pk", flat=True))
        indexing.drain()
        for name in names():
            engine.refresh(alias(name))
        yield module_world
    finally:
        for name in names():
            for physical in engine.alias_targets(alias(name)):
                engine.delete_index(physical)
        override.disable()


def pytest_collection_modifyitems(config, items) -> None:
    """Matrix tests use the database through ``module_world``: mark them ``django_db`` so that
    pytest-django creates the test database even when they run alone, and so that what a cell
    writes (audit rows, PDF cache rows) is rolled back to the module's world after it."""
    for item in items:
        if "module_world" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)
