"""The release rules over time: random sequences of real operations against an oracle.

``ReleaseLifecycle`` is a Hypothesis state machine. Its rules are the operations that change
who may see what, each through the product's own code: notices and papers are created, saved
as drafts, submitted to their Wagtail workflow, approved step by step (the last approval
publishes), published, scheduled, unpublished, reverted to an older revision, copied and given
an expiry; classification officers set tiers and field tiers, grant to a user, a group or an
enterprise, revoke, and let grants run out; reviewers approve, return and revoke enterprise
profiles and decide claims; people join and leave groups and enterprises; the search engine
goes down and comes back, and the indices are rebuilt.

After every step the machine compares what the population sees with ``Oracle``: the rules of
``docs/release.md`` in plain Python, applied to a model of the world the machine keeps itself
(tiers, grants, owners, memberships, workflow steps, live and expiry). The oracle imports
nothing from ``classification``: when the product and the oracle disagree, either the product
has a bug or the page is wrong, and the failure says which user, item and surface.

Population: the anonymous visitor; a registered user; an enterprise user owning profiles E1
(approved) and E3 (a draft); a procurement officer; an editor (who writes notices and papers,
as the procurement officer writes demand notices); a publisher (the last workflow step); an
ad-hoc group's member without a verified address; a reviewer; a classification officer. E2 is
an approved profile nobody owns (the one to claim).

Surfaces. The portal's public surfaces serve the published version of a page (Wagtail routes
live pages only): a page that is not live is seen by its owner and actors in the admin, not on
the site. So the oracle's question per surface is "does this person see the item" (the rule)
narrowed to what the surface holds:

- notice and paper pages, API details and lists, feeds, notice alerts and the sitemap: live
  pages;
- enterprise profile pages and the enterprise API (list and detail): profiles in every state;
- the directory, search (site search hits and type facet counts, the notice search's total and
  kind facet counts), suggestions, supplier matching and supplier alerts: released items (an
  expired notice is not released, whether or not Wagtail's scheduler has unpublished it yet);
- the Wagtail admin for staff (the page editor: 404 exactly for hidden pages; the admin API's
  listing of each index for those who may explore it): pages in every state.

Sensitive values (a notice's contact, budget and requirements, a paper's PDF link, a profile's
legal representative and contacts) are in a page or answer exactly when the person reads the
field, and never anywhere else (lists, search hits, feeds, alert e-mails, matching: including
the key terms supplier matching draws from a notice). Public feeds and the sitemap read as the
anonymous visitor whoever asks; token feeds and alerts as their owner; alerts go to verified
addresses only, each item once. During an outage every search answers 503.

Rule 4 keeps the last step's approvers on a page "until the approved revision is published":
the model reads it as "until the page is next published", since a later publication replaces
the approved revision for good.

Time. The engine compares grant and page expiries with its own clock, so "time passes" is
real: a grant is renewed, or a page published, with an expiry a fraction of a second ahead,
the index is brought up to date as production would, and the machine waits for the expiry to
pass. A queryset update of the database row alone would move the database's clock and not the
engine's, a world that cannot happen. Scheduled go-lives move into the past the way the
workflow tests do (the revision's content and ``approved_go_live_at``), then Wagtail's
``publish_scheduled`` runs, which also unpublishes expired pages.

The model follows Wagtail where Wagtail decides (what a publication, a schedule, an unpublish
or a copy does to ``live`` and to the workflow), and after every step it is compared with the
database, together with the release settings: a page operation never changes a tier, a field
tier or a grant (``world_facts``).

Cost. A check is one surface for one person (and one item, for detail surfaces): a request
through the test client, or an alert run. The product answers in 7-40 ms, the page editor and
the admin API in about 100 ms, on the two-core machine; an operation with its drain and the
model check takes 50-80 ms. Checking the nine people on the thirteen list surfaces and on every
item after every step would take about 6 s a step, so a step runs ``CHECKS_PER_STEP`` (3):

- the main surface (page, profile page) of the item the operation named, for one person in
  turn (the nine people in order);
- then the checks the step made due, oldest first: when the oracle's answer for a person and an
  item changes, each detail surface of that pair and each list surface showing that kind of
  item to that person becomes due (the page editor, a slow page, when the page becomes hidden
  from a staff member);
- and one list surface, the one checked longest ago.

The end of every example checks every person on every surface and every item (about 260
checks). Measured for the CI configuration (derandomized, 8 examples of up to 300 steps) on the
shared two-core machine: 2,347 steps in 8 examples in 347 s (the test 357 s), a check coming
round after a median of 72 steps (90 %: 132; at most the whole example, 300); a later run of
the same configuration took 361 s. When the product disagrees with the oracle, Hypothesis then
shrinks the failing sequence for up to five more minutes.

Isolation. Each example runs inside its own ``transaction.atomic()`` on top of the test's
population and is rolled back in ``teardown``; the indices live under a private prefix and are
emptied at the start of each example.
"""

from __future__ import annotations

import itertools
import json
import os
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from io import StringIO

import hypothesis
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, note
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.factories import login_verified
from tests.tally import LIFECYCLE_STEPS

#: The CI configuration (``make test``) and the long run (``make fuzz``) read these.
EXAMPLES = int(os.environ.get("LIFECYCLE_EXAMPLES", "8"))
STEPS = int(os.environ.get("LIFECYCLE_STEPS", "300"))
DERANDOMIZE = os.environ.get("LIFECYCLE_DERANDOMIZE", "1") != "0"
#: How many (surface, person, item) checks each step runs, see the module docstring.
CHECKS_PER_STEP = int(os.environ.get("LIFECYCLE_CHECKS_PER_STEP", "3"))
#: Steps between two checks of the same unit (the first check counts from the start).
GAPS: list[int] = []
#: A rebuild of every index costs about a second: at most one per this many steps.
REBUILD_EVERY = 40

# ============================================================================================
# The oracle: docs/release.md in plain Python.
# ============================================================================================

PUBLIC, REGISTERED, VETTED, TARGETED = "public", "registered", "vetted", "targeted"
TIERS = (PUBLIC, REGISTERED, VETTED, TARGETED)
#: The clearance of classification officers and superusers: everything, unreleased included.
EVERYTHING = "everything"
#: Roles whose members read vetted items ("Tiers and clearance").
VETTING_ROLES = frozenset({"procurement", "reviewer", "editor"})
OFFICER_ROLE = "classification_officer"
PUBLISHER_ROLE = "publisher"

#: Sensitive fields and their default tiers ("Field tiers").
FIELD_DEFAULTS: dict[str, dict[str, str]] = {
    "enterprise": {
        "legal_representative": REGISTERED,
        "contacts": VETTED,
        "qualification_documents": VETTED,
    },
    "notice": {"contact": VETTED, "budget": VETTED, "requirements": VETTED, "attachments": VETTED},
    "paper": {"pdf": PUBLIC},
}
#: A new notice starts vetted (failing closed); papers and profiles start where they are made.
NEW_NOTICE_TIER = VETTED


def rank(tier: str) -> int:
    return TIERS.index(tier)


def within(tier: str, clearance: str) -> bool:
    """Whether an item or field at ``tier`` is within ``clearance`` without a grant."""
    if clearance == EVERYTHING:
        return True
    return tier != TARGETED and rank(tier) <= rank(clearance)


@dataclass
class Person:
    key: str
    roles: frozenset[str]
    verified: bool
    #: Ad-hoc groups the person belongs to (role groups are ``roles``).
    groups: set[str] = field(default_factory=set)


@dataclass
class Revision:
    pk: int
    go_live_at: datetime | None = None
    expire_at: datetime | None = None
    #: Whether the page had a live revision when this one was saved: Wagtail restores that
    #: from the revision when publishing it, and a scheduled publication of a revision saved
    #: with one leaves the page as it is, one saved without one takes the page off line.
    saved_live: bool = False

    @classmethod
    def of(cls, revision) -> Revision:
        """The model of a Wagtail revision, from its content."""
        from django.utils.dateparse import parse_datetime

        content = revision.content

        def moment(name: str) -> datetime | None:
            value = content.get(name)  # a string once stored, a datetime before
            return parse_datetime(value) if isinstance(value, str) else value

        saved_live = content.get("live_revision") is not None
        return cls(revision.pk, moment("go_live_at"), moment("expire_at"), saved_live)


@dataclass
class Item:
    """One classifiable item as the machine believes it to be."""

    kind: str  # enterprise, notice or paper
    key: str  # E1, N3, P2…: how the steps name it
    pk: int
    title: str
    tier: str
    field_tiers: dict[str, str] = field(default_factory=dict)
    #: principal -> expiry (None: no end). A principal is ("user", person), ("group", name)
    #: or ("enterprise", item key).
    grants: dict[tuple[str, str], datetime | None] = field(default_factory=dict)
    #: field -> values that only readers of that field may ever receive.
    secrets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Pages (notices and papers).
    owner: str | None = None
    notice_kind: str = ""
    url: str = ""
    live: bool = False
    has_live_revision: bool = False
    expire_at: datetime | None = None
    workflow: str | None = None  # the current step of an in-progress workflow
    approvers_pending: bool = False  # the last step approved, its revision not yet published
    scheduled: int | None = None  # the revision waiting for its go-live
    revisions: list[Revision] = field(default_factory=list)
    # Enterprise profiles.
    status: str = ""
    owners: set[str] = field(default_factory=set)
    submitted: bool = False  # a version waits for review
    claims: set[str] = field(default_factory=set)  # people with a pending claim
    uscc: str = ""

    def field_tier(self, name: str) -> str:
        """A field's effective tier: the higher of the item's tier and the field's own."""
        own = self.field_tiers.get(name) or FIELD_DEFAULTS[self.kind][name]
        return own if rank(own) > rank(self.tier) else self.tier


class Oracle:
    """Who sees which item and reads which field, from ``docs/release.md`` alone."""

    def __init__(self, people: dict[str, Person], items: dict[str, Item]) -> None:
        self.people = people
        self.items = items

    def enterprises(self) -> list[Item]:
        return [item for item in self.items.values() if item.kind == "enterprise"]

    def clearance(self, who: str) -> str:
        """ "Tiers and clearance": the widest tier the person reads without a grant."""
        person = self.people.get(who)
        if person is None:
            return PUBLIC
        if OFFICER_ROLE in person.roles:
            return EVERYTHING
        if person.roles & VETTING_ROLES or any(
            who in e.owners and e.status == "approved" for e in self.enterprises()
        ):
            return VETTED
        return REGISTERED if person.verified else PUBLIC

    def released(self, item: Item, now: datetime) -> bool:
        if item.kind == "enterprise":
            return item.status == "approved"
        if item.kind == "notice":
            return item.live and (item.expire_at is None or item.expire_at > now)
        return item.live

    def owns(self, who: str, item: Item) -> bool:
        if item.kind == "enterprise":
            return who in item.owners
        return item.owner == who

    def holds_grant(self, who: str, item: Item, now: datetime) -> bool:
        """A grant in force, to the person or to a group they belong to; a grant to an
        enterprise reaches its owners while the profile is approved."""
        person = self.people.get(who)
        if person is None:
            return False
        for (kind, name), until in item.grants.items():
            if until is not None and until <= now:
                continue  # "An expired grant is no grant from the moment it expires"
            if kind == "user" and name == who:
                return True
            if kind == "group" and name in person.groups:
                return True
            if kind == "enterprise":
                enterprise = self.items[name]
                if who in enterprise.owners and enterprise.status == "approved":
                    return True
        return False

    def acts(self, who: str, item: Item) -> bool:
        """Rule 4: the current workflow step (and the last step's approvers until publication);
        reviewers on a profile with a version or a claim waiting."""
        person = self.people.get(who)
        if person is None:
            return False
        if item.kind == "enterprise":
            return "reviewer" in person.roles and (item.submitted or bool(item.claims))
        if item.workflow == "classify" and OFFICER_ROLE in person.roles:
            return True
        if PUBLISHER_ROLE in person.roles:
            return item.workflow == "publish" or item.approvers_pending
        return False

    def sees(self, who: str, item: Item, now: datetime) -> bool:
        """ "Who sees an item": rules 1 to 5."""
        clearance = self.clearance(who)
        if clearance == EVERYTHING:
            return True
        if self.released(item, now) and (
            within(item.tier, clearance) or self.holds_grant(who, item, now)
        ):
            return True
        return self.owns(who, item) or self.acts(who, item)

    def reads(self, who: str, item: Item, name: str, now: datetime) -> bool:
        """ "Field tiers": whether a person who sees the item reads its field ``name``."""
        clearance = self.clearance(who)
        if clearance == EVERYTHING:
            return True
        effective = item.field_tier(name)
        if effective != TARGETED and within(effective, clearance):
            return True
        return self.owns(who, item) or self.holds_grant(who, item, now) or self.acts(who, item)

    def hidden(self, who: str, item: Item, now: datetime) -> list[str]:
        return sorted(n for n in FIELD_DEFAULTS[item.kind] if not self.reads(who, item, n, now))

    # What each kind of surface holds (see the module docstring).

    def on_site(self, who: str, item: Item, now: datetime) -> bool:
        if item.kind != "enterprise" and not item.live:
            return False
        return self.sees(who, item, now)

    def released_and_seen(self, who: str, item: Item, now: datetime) -> bool:
        return self.released(item, now) and self.sees(who, item, now)

    def in_search(self, who: str, item: Item, now: datetime) -> bool:
        """Search holds released items: there the rule is the same as everywhere."""
        return self.released_and_seen(who, item, now)

    def answer(self, who: str, item: Item, now: datetime) -> tuple:
        """Everything a detail surface shows this person about this item."""
        return (
            self.sees(who, item, now),
            self.on_site(who, item, now),
            self.in_search(who, item, now),
            tuple(self.hidden(who, item, now)),
        )


# ============================================================================================
# The world: a small population, three enterprises, and what the surfaces need.
# ============================================================================================

#: The people of the machine and what they are ("anonymous" is the visitor without a session).
PEOPLE: dict[str, tuple[tuple[str, ...], bool]] = {
    "registered": ((), True),
    "enterprise": (("enterprise",), True),
    "procurement": (("procurement",), True),
    "editor": (("editor",), True),
    "publisher": ((PUBLISHER_ROLE,), True),
    "member": ((), False),  # an ad-hoc group's member without a verified address
    "reviewer": (("reviewer",), True),
    "officer": ((OFFICER_ROLE,), True),
}
EVERYONE = ("anonymous", *PEOPLE)
#: People who work in the Wagtail admin.
STAFF = ("procurement", "editor", "publisher", "reviewer", "officer")
#: Who may explore each page index in the admin (Wagtail page permissions of the migrations).
EXPLORERS = {
    "notice": {"procurement", "editor", "publisher", "officer"},
    "paper": {"editor", "publisher", "officer"},
}
#: Who may list the supplier matches of a demand notice besides its owner.
MATCHERS = {"procurement", "editor", "officer"}
ADHOC = "lifecycle-group"
#: The word every notice and paper title carries, and the prefix of every enterprise name.
COMMON = "周期"
ENTERPRISES = {
    # key: (name, status, owners, legal representative, contact phone)
    "E1": ("周期甲北斗科技有限公司", "approved", ("enterprise",), "法人甲一号", "0771-5100001"),
    "E2": ("周期乙导航设备有限公司", "approved", (), "法人乙二号", "0771-5200002"),
    "E3": ("周期丙精密制造有限公司", "draft", ("enterprise",), "法人丙三号", "0771-5300003"),
}
#: A word only the notices' requirements carry (supplier matching takes it for a key term).
REQUIREMENT_WORD = "功放"
MAX_NOTICES = 4
MAX_PAPERS = 2
#: How far ahead an expiry is set when time passes (the index gets it before it passes).
SOON = timedelta(milliseconds=250)

#: A check: (surface, person, item key); list surfaces name no item.
Unit = tuple[str, str, str]


def _anyone(who: str) -> bool:
    return True


#: List surfaces: the kinds of item they show, and who has one.
LIST_SURFACES: dict[str, tuple[frozenset[str], Callable[[str], bool]]] = {
    "notice list": (frozenset({"notice"}), _anyone),
    "paper list": (frozenset({"paper"}), _anyone),
    "enterprise list": (frozenset({"enterprise"}), _anyone),
    "directory": (frozenset({"enterprise"}), _anyone),
    "notice feed": (frozenset({"notice"}), _anyone),
    "paper feed": (frozenset({"paper"}), _anyone),
    "site search": (frozenset({"enterprise", "notice", "paper"}), _anyone),
    "suggestions": (frozenset({"enterprise"}), _anyone),
    "notice search": (frozenset({"notice"}), _anyone),
    # What the anonymous visitor sees, whoever asks: due when the visitor's answers change.
    "sitemap": (frozenset(), _anyone),
    "notice admin listing": (frozenset({"notice"}), lambda who: who in EXPLORERS["notice"]),
    "paper admin listing": (frozenset({"paper"}), lambda who: who in EXPLORERS["paper"]),
    "alerts": (frozenset({"notice", "enterprise"}), lambda who: who != "anonymous"),
}
#: Detail surfaces per kind of item, and who has them for which item.
DETAIL_SURFACES: dict[str, dict[str, Callable[[str, Item], bool]]] = {
    "enterprise": {
        "profile page": lambda who, item: True,
        "enterprise api": lambda who, item: True,
    },
    "notice": {
        "page": lambda who, item: True,
        "api detail": lambda who, item: True,
        "admin editor": lambda who, item: who in STAFF,
        "matching": lambda who, item: item.notice_kind == "demand",
    },
    "paper": {
        "page": lambda who, item: True,
        "api detail": lambda who, item: True,
        "admin editor": lambda who, item: who in STAFF,
    },
}


@dataclass
class World:
    users: dict[str, object]
    clients: dict[str, Client]
    feed_tokens: dict[str, str]
    group: object
    enterprises: dict[str, int]
    usccs: dict[str, str]
    saved: dict[str, dict[str, object]]
    notice_index: int
    paper_index: int


def build_world() -> World:
    from django.contrib.auth.models import Group

    from portal.alerts.models import Frequency, SavedSearch
    from portal.alerts.models import Kind as AlertKind
    from portal.enterprises.models import Contact, Industry
    from portal.notices.models import FeedToken, NoticeIndexPage
    from portal.papers.models import PaperIndexPage

    from .conftest import make_enterprise, make_user

    suffix = uuid.uuid4().hex[:6]
    users: dict[str, object] = {}
    for key, (person_roles, verified) in PEOPLE.items():
        users[key] = make_user(f"lc-{key}-{suffix}", verified=verified)
        if person_roles:
            users[key].groups.add(*Group.objects.filter(name__in=person_roles))
    group = Group.objects.create(name=f"{ADHOC}-{suffix}")
    users["member"].groups.add(group)
    enterprises, usccs = {}, {}
    industry = Industry.objects.get(code="D0101")
    for key, (name, status, owners, legal, phone) in ENTERPRISES.items():
        enterprise = make_enterprise(
            name,
            status=status,
            owners=tuple(users[o] for o in owners),
            legal_representative=legal,
            description="北斗导航终端研发与生产。",
        )
        enterprise.industries.set([industry])
        Contact.objects.create(enterprise=enterprise, name=f"联络员{key}", phone=phone)
        enterprises[key], usccs[key] = enterprise.pk, enterprise.uscc
    clients = {"anonymous": Client()}
    feed_tokens = {}
    saved = {}
    before = timezone.now() - timedelta(hours=1)
    for key, user in users.items():
        client = Client()
        login_verified(client, user)  # staff among them reach their pages after the code step
        clients[key] = client
        feed_tokens[key] = FeedToken.current(user).token
        saved[key] = {
            kind: SavedSearch.objects.create(
                user=user,
                kind=kind,
                name=f"周期{kind}",
                frequency=Frequency.IMMEDIATELY,
                created=before,
            )
            for kind in (AlertKind.SUPPLIER, AlertKind.NOTICE)
        }
    return World(
        users=users,
        clients=clients,
        feed_tokens=feed_tokens,
        group=group,
        enterprises=enterprises,
        usccs=usccs,
        saved=saved,
        notice_index=NoticeIndexPage.objects.get(slug="notices").pk,
        paper_index=PaperIndexPage.objects.get().pk,
    )


def initial_model() -> tuple[dict[str, Person], dict[str, Item]]:
    people = {
        key: Person(key, frozenset(person_roles), verified)
        for key, (person_roles, verified) in PEOPLE.items()
    }
    people["member"].groups.add(ADHOC)
    return people, {}


_serial = itertools.count(1)

# ============================================================================================
# The machine.
# ============================================================================================


class Disagreement(AssertionError):
    """The product answered one surface differently from the oracle."""


class ReleaseLifecycle(RuleBasedStateMachine):
    #: Set by the test before the run: the population, shared by all examples.
    world: World

    def __init__(self) -> None:
        super().__init__()
        from search import engine, indexing
        from search.registry import alias, names

        LIFECYCLE_STEPS[1] += 1
        self.w = self.world
        self.step = 0
        self.failed = False
        self.outage: override_settings | None = None
        self.detail_rotation = itertools.cycle(EVERYONE)
        self.last_checked: dict[Unit, int] = {}
        self.dirty: dict[Unit, int] = {}
        self.last_rebuild = self.outage_step = -REBUILD_EVERY
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        people, items = initial_model()
        self.people, self.items = people, items
        self.oracle = Oracle(people, items)
        self.sent: dict[str, dict[str, set[int]]] = {
            key: {"supplier": set(), "notice": set()} for key in PEOPLE
        }
        for key, (name, status, owners, legal, phone) in ENTERPRISES.items():
            items[key] = Item(
                kind="enterprise",
                key=key,
                pk=self.w.enterprises[key],
                title=name,
                tier=PUBLIC,
                status=status,
                owners=set(owners),
                uscc=self.w.usccs[key],
                secrets={"legal_representative": (legal,), "contacts": (phone,)},
            )
        # The indices of the previous example hold its items: start from the world alone.
        for name in names():
            engine.client().delete_by_query(
                index=alias(name),
                body={"query": {"match_all": {}}},
                refresh=True,
                conflicts="proceed",
            )
        indexing.record("enterprises", self.w.enterprises.values())
        self._sync_index()
        self.answers = self._answers()

    # -- helpers ------------------------------------------------------------------------------

    def user(self, who: str):
        """A fresh user object, as Django builds one per request."""
        if who == "anonymous":
            from django.contrib.auth.models import AnonymousUser

            return AnonymousUser()
        user = self.w.users[who]
        return type(user).objects.get(pk=user.pk)

    def page(self, item: Item):
        from portal.notices.models import NoticePage
        from portal.papers.models import PaperPage

        model = NoticePage if item.kind == "notice" else PaperPage
        return model.objects.get(pk=item.pk)

    def obj(self, item: Item):
        if item.kind == "enterprise":
            from portal.enterprises.models import Enterprise

            return Enterprise.objects.get(pk=item.pk)
        return self.page(item)

    def of_kind(self, *kinds: str) -> list[Item]:
        return [item for item in self.items.values() if item.kind in kinds]

    def pages(self) -> list[Item]:
        return self.of_kind("notice", "paper")

    @staticmethod
    def pick(candidates: list, n: int):
        return candidates[n % len(candidates)]

    def _sync_index(self) -> None:
        """What production does after a write: drain the outbox, the engine refreshes."""
        from search import engine, indexing
        from search.models import OutboxEntry
        from search.registry import alias, names

        if self.outage is not None:
            pending = OutboxEntry.objects.count()
            if pending:  # with nothing to send, a drain does not call the engine at all
                with pytest.raises(engine.EngineUnavailable):
                    indexing.drain()
            else:
                assert indexing.drain() == 0
            assert OutboxEntry.objects.count() == pending, "a failed drain lost outbox rows"
            return
        touched = set(OutboxEntry.objects.values_list("index", flat=True).distinct())
        if not touched:
            return
        indexing.drain()
        assert not OutboxEntry.objects.exists(), "the drain left outbox rows behind"
        for name in names():
            if name in touched:
                engine.refresh(alias(name))

    def _answers(self) -> dict[tuple[str, str], tuple]:
        now = timezone.now()
        return {
            (who, key): self.oracle.answer(who, item, now)
            for who in EVERYONE
            for key, item in self.items.items()
        }

    def _run(self, description: str, action: Callable[[], Iterable[str]]) -> None:
        """One step: the operation, the index as production keeps it, then the checks."""
        self.step += 1
        LIFECYCLE_STEPS[0] += 1
        note(f"step {self.step}: {description}")
        try:
            named = [key for key in (action() or ()) if key in self.items]
            self._sync_index()
            self._check_model()
            before, self.answers = self.answers, self._answers()
            for (who, key), answer in self.answers.items():
                if before.get((who, key)) != answer:
                    self._mark(who, self.items[key], before.get((who, key)), answer)
            who = next(self.detail_rotation)
            first = []
            for key in named:
                units = self._detail_units(who, self.items[key])
                first.append(units[0])
                for unit in units:
                    self.dirty.setdefault(unit, self.step)
            for unit in self._schedule(first[:1]):
                GAPS.append(self.step - self.last_checked.get(unit, 0))
                self._check(unit)
        except BaseException:
            self.failed = True
            raise

    def teardown(self) -> None:
        from search import engine

        try:
            if not self.failed:
                if self.outage is not None:
                    self._end_outage()
                note("end of example: every user on every surface")
                for unit in self._units():
                    self._check(unit)
        finally:
            if self.outage is not None:
                self.outage.disable()
                self.outage = None
            engine.client.cache_clear()
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    # -- which checks run when ------------------------------------------------------------

    def _units(self) -> list[Unit]:
        """Every (surface, person, item) the machine can check now; lists name no item."""
        units = [
            (surface, who, "")
            for surface, (kinds, applies) in LIST_SURFACES.items()
            for who in EVERYONE
            if applies(who)
        ]
        for item in self.items.values():
            for who in EVERYONE:
                units.extend(self._detail_units(who, item))
        return units

    def _detail_units(self, who: str, item: Item) -> list[Unit]:
        return [
            (surface, who, item.key)
            for surface, applies in DETAIL_SURFACES[item.kind].items()
            if applies(who, item)
        ]

    def _mark(self, who: str, item: Item, before: tuple | None, after: tuple) -> None:
        """The oracle's answer for (who, item) changed: the surfaces showing it are due. The
        page editor (a slow page) is due when the page becomes hidden from the person."""
        due = [unit for unit in self._detail_units(who, item) if unit[0] != "admin editor"]
        if before is not None and before[0] and not after[0] and who in STAFF:
            due.append(("admin editor", who, item.key))
        for surface, (kinds, applies) in LIST_SURFACES.items():
            if item.kind in kinds and applies(who):
                due.append((surface, who, ""))
        if who == "anonymous" and item.kind != "enterprise":
            due.append(("sitemap", "anonymous", ""))
        for unit in due:
            self.dirty.setdefault(unit, self.step)

    def _schedule(self, first: list[Unit]) -> list[Unit]:
        """The checks of this step, ``CHECKS_PER_STEP`` of them: the main surface of the item
        the operation named, for one person in turn; then the units whose answer changed, in
        the order they changed; and one list surface, the one checked longest ago, so that
        every list comes round however busy the steps are."""
        units = self._units()
        order = {unit: index for index, unit in enumerate(units)}
        for unit in [u for u in self.dirty if u not in order]:
            del self.dirty[unit]  # a surface that no longer applies
        chosen = [u for u in first if u in order]
        due = sorted(self.dirty, key=lambda u: (self.dirty[u], order[u]))
        chosen += [u for u in due if u not in chosen and self._ready(u)][
            : max(0, CHECKS_PER_STEP - 1 - len(chosen))
        ]
        lists = sorted(
            (u for u in units if not u[2] and u not in chosen and self._ready(u)),
            key=lambda u: (self.last_checked.get(u, 0), order[u]),
        )
        return chosen + lists[: CHECKS_PER_STEP - len(chosen)]

    def _ready(self, unit: Unit) -> bool:
        """Alert runs wait for the engine (a run during an outage sends nothing)."""
        return not (unit[0] == "alerts" and self.outage is not None)

    def _check(self, unit: Unit) -> None:
        surface, who, key = unit
        now = timezone.now()
        check = getattr(self, "_" + surface.replace(" ", "_"))
        if key:
            check(who, self.items[key], now)
        else:
            check(who, now)
        self.last_checked[unit] = self.step
        self.dirty.pop(unit, None)

    # -- the model against the database ---------------------------------------------------------

    def _check_model(self) -> None:
        """The machine's model of the world agrees with the database (live, workflow steps,
        schedules, profile states, owners, grants) and release settings are what officers
        set: a page operation never changes them."""
        facts = world_facts(self)
        for item in self.items.values():
            model = model_facts(item)
            if facts[item.key] != model:
                raise AssertionError(
                    f"{item.key}: the world is {facts[item.key]}, the model {model}"
                )

    def _who(self, user) -> str:
        return next(key for key, u in self.w.users.items() if u.pk == user.pk)

    # -- operations on pages ---------------------------------------------------------------------

    def _new_page(self, kind: str, author: str, notice_kind: str = "") -> Iterable[str]:
        from portal.enterprises.models import Industry, Region
        from portal.notices.models import NoticeIndexPage, NoticePage
        from portal.papers.demo import create_paper
        from portal.papers.demo_text import Body

        n = next(_serial)
        owner = self.w.users[author]
        if kind == "notice":
            key = f"N{n}"
            requirement = f"功放模块输出不低于{n}瓦，功放效率优于{n}0%，功放噪声低（周期需求{n}号）"
            page = NoticePage(
                title=f"周期通知{n}：北斗定位终端需求",
                slug=f"lc-notice-{n}",
                kind=notice_kind,
                summary="周期测试通知：采购北斗三号定位终端。",
                deadline=timezone.now() + timedelta(days=30),
                contact_name="王参谋",
                contact_phone=f"0771-7{n:04d}9",
                budget_min=Decimal("100.00"),
                budget_max=Decimal(f"{n}99.75"),
                region=Region.objects.get(code="450100"),
                owner=owner,
                live=False,
                body=[
                    {"type": "paragraph", "value": "<p>面向驻桂部队的定位终端需求。</p>"},
                    {
                        "type": "requirements",
                        "value": {"heading": "技术要求", "items": [requirement]},
                    },
                ],
            )
            NoticeIndexPage.objects.get(pk=self.w.notice_index).add_child(instance=page)
            page.industries.set(Industry.objects.filter(code="D01"))
            revision = page.save_revision(user=owner)
            secrets = {
                "contact": (page.contact_phone,),
                "budget": (str(page.budget_max),),
                # The requirements, and a word of them that supplier matching takes for a key
                # term of the notice.
                "requirements": (requirement, REQUIREMENT_WORD),
            }
            tier = NEW_NOTICE_TIER
        else:
            key = f"P{n}"
            body = Body()
            body.chapter(f"周期章节{n}")
            body.text(f"周期测试白皮书正文{n}。")
            page = create_paper(
                body.blocks,
                slug=f"lc-paper-{n}",
                title=f"周期白皮书{n}",
                owner=owner,
                publish=False,
            )
            revision = page.latest_revision
            secrets = {"pdf": (f"/papers/{page.pk}/pdf/",)}
            tier = PUBLIC
        self.items[key] = Item(
            kind=kind,
            key=key,
            pk=page.pk,
            title=page.title,
            tier=tier,
            owner=author,
            notice_kind=notice_kind,
            url=page.url,
            secrets=secrets,
            revisions=[Revision.of(revision)],
        )
        return [key]

    def _revise(self, item: Item, go_live_at=None, expire_at=None):
        """A new revision of the page's current content, as its owner saves it."""
        page = self.page(item)
        page.go_live_at, page.expire_at = go_live_at, expire_at
        revision = page.save_revision(user=self.w.users[item.owner])
        item.revisions.append(Revision.of(revision))
        return revision

    def _published(self, item: Item, revision: Revision, by_workflow: bool = False) -> None:
        """Wagtail's publication of ``revision`` in the model: scheduled when its go-live lies
        ahead (leaving the page as it is when the revision was saved with a live revision,
        taking it off line otherwise), live otherwise; an in-progress workflow is cancelled by
        a publication that is not the workflow's own."""
        now = timezone.now()
        if revision.go_live_at is not None and revision.go_live_at > now:
            item.scheduled = revision.pk
            if by_workflow:
                item.approvers_pending = True
            if revision.saved_live:
                return
            item.live = item.has_live_revision = False
        else:
            item.live = item.has_live_revision = True
            item.expire_at = revision.expire_at
            item.scheduled = None
            item.approvers_pending = False
        if not by_workflow:
            item.workflow = None

    def _revision(self, item: Item, pk: int) -> Revision:
        return next(r for r in item.revisions if r.pk == pk)

    # -- operations on enterprises and people -----------------------------------------------

    def principal(self, key: tuple[str, str]):
        kind, name = key
        if kind == "user":
            return self.w.users[name]
        if kind == "group":
            return self.w.group
        from portal.enterprises.models import Enterprise

        return Enterprise.objects.get(pk=self.items[name].pk)

    # -- engine ------------------------------------------------------------------------------

    def _end_outage(self) -> None:
        from search import engine

        self.outage.disable()
        self.outage = None
        engine.client.cache_clear()
        self._sync_index()

    # ===========================================================================================
    # Rules
    # ===========================================================================================

    @precondition(lambda self: len(self.of_kind("notice")) < MAX_NOTICES)
    @rule(
        author=st.sampled_from(["editor", "procurement"]),
        kind=st.sampled_from(["demand", "supply"]),
    )
    def create_notice(self, author: str, kind: str) -> None:
        kind = "demand" if author == "procurement" else kind  # the admin form's rule
        self._run(
            f"{author} creates a {kind} notice", lambda: self._new_page("notice", author, kind)
        )

    @precondition(lambda self: len(self.of_kind("paper")) < MAX_PAPERS)
    @rule()
    def create_paper(self) -> None:
        self._run("editor creates a paper", lambda: self._new_page("paper", "editor"))

    @precondition(lambda self: self.pages())
    @rule(n=st.integers(0, 99))
    def save_draft(self, n: int) -> None:
        item = self.pick(self.pages(), n)

        def act():
            self._revise(item)
            return [item.key]

        self._run(f"{item.owner} saves a draft of {item.key}", act)

    @precondition(lambda self: [p for p in self.pages() if p.workflow is None])
    @rule(n=st.integers(0, 99), scheduled=st.booleans())
    def submit(self, n: int, scheduled: bool) -> None:
        item = self.pick([p for p in self.pages() if p.workflow is None], n)

        def act():
            go_live = timezone.now() + timedelta(days=1) if scheduled else None
            self._revise(item, go_live_at=go_live)
            page = self.page(item)
            page.get_workflow().start(page, self.w.users[item.owner])
            item.workflow = "classify"
            return [item.key]

        when = " to go live tomorrow" if scheduled else ""
        self._run(f"{item.owner} submits {item.key}{when}", act)

    @precondition(lambda self: [p for p in self.pages() if p.workflow])
    @rule(n=st.integers(0, 99))
    def approve(self, n: int) -> None:
        item = self.pick([p for p in self.pages() if p.workflow], n)
        actor = "officer" if item.workflow == "classify" else "publisher"

        def act():
            page = self.page(item)
            task_state = page.current_workflow_state.current_task_state
            task_state.task.specific.on_action(task_state, self.user(actor), "approve")
            if item.workflow == "classify":
                item.workflow = "publish"
            else:
                item.workflow = None
                self._published(item, item.revisions[-1], by_workflow=True)
            return [item.key]

        self._run(f"{actor} approves {item.key} at its {item.workflow} step", act)

    @precondition(lambda self: self.pages())
    @rule(n=st.integers(0, 99))
    def publish(self, n: int) -> None:
        item = self.pick(self.pages(), n)

        def act():
            from wagtail.models import Revision as WagtailRevision

            WagtailRevision.objects.get(pk=item.revisions[-1].pk).publish()
            self._published(item, item.revisions[-1])
            return [item.key]

        self._run(f"an administrator publishes the latest revision of {item.key}", act)

    @precondition(lambda self: self.pages())
    @rule(n=st.integers(0, 99))
    def schedule(self, n: int) -> None:
        item = self.pick(self.pages(), n)

        def act():
            revision = self._revise(item, go_live_at=timezone.now() + timedelta(days=1))
            revision.publish()
            self._published(item, item.revisions[-1])
            return [item.key]

        self._run(f"{item.key} is scheduled to go live tomorrow", act)

    @precondition(lambda self: [p for p in self.pages() if p.live])
    @rule(n=st.integers(0, 99))
    def unpublish(self, n: int) -> None:
        item = self.pick([p for p in self.pages() if p.live], n)

        def act():
            self.page(item).unpublish()
            item.live = item.has_live_revision = False
            item.scheduled = None
            return [item.key]

        self._run(f"{item.key} is unpublished", act)

    @precondition(lambda self: [p for p in self.pages() if len(p.revisions) > 1])
    @rule(n=st.integers(0, 99), back=st.integers(0, 99))
    def revert(self, n: int, back: int) -> None:
        item = self.pick([p for p in self.pages() if len(p.revisions) > 1], n)
        revision = self.pick(item.revisions[:-1], back)

        def act():
            from wagtail.models import Revision as WagtailRevision

            WagtailRevision.objects.get(pk=revision.pk).publish()
            self._published(item, revision)
            return [item.key]

        self._run(f"{item.key} is reverted to its revision {revision.pk}", act)

    @precondition(
        lambda self: (
            self.pages()
            and len(self.of_kind("notice")) < MAX_NOTICES
            and len(self.of_kind("paper")) < MAX_PAPERS
        )
    )
    @rule(n=st.integers(0, 99))
    def copy(self, n: int) -> None:
        source = self.pick(self.pages(), n)

        def act():
            from wagtail.models import Page

            number = next(_serial)
            key = f"{source.key[0]}{number}"
            slug = f"lc-copy-{number}"
            copied = self.page(source).copy(
                update_attrs={"slug": slug, "title": f"{source.title}（副本{number}）"}
            )
            copied = Page.objects.get(pk=copied.pk).specific
            # The copied revisions keep the source's slug: only the copy's own revision (the
            # latest) can be published without a clash, as in the admin.
            latest = copied.revisions.order_by("-created_at", "-pk").first()
            model = [Revision.of(latest)]
            self.items[key] = Item(
                kind=source.kind,
                key=key,
                pk=copied.pk,
                title=copied.title,
                tier=source.tier,
                field_tiers=dict(source.field_tiers),
                owner=source.owner,
                notice_kind=source.notice_kind,
                url=copied.url,
                live=source.live,
                # Wagtail's copy (keep_live) points the copy's live revision at its latest one
                # even when the copy is not live.
                has_live_revision=True,
                expire_at=source.expire_at,
                secrets={
                    **source.secrets,
                    **({"pdf": (f"/papers/{copied.pk}/pdf/",)} if source.kind == "paper" else {}),
                },
                revisions=model,
            )
            return [key, source.key]

        self._run(f"{source.owner} copies {source.key}", act)

    @precondition(lambda self: [p for p in self.pages() if p.live] or self._grants())
    @rule(
        n=st.integers(0, 99), m=st.integers(0, 99), what=st.sampled_from(["page", "grant", "both"])
    )
    def time_passes(self, n: int, m: int, what: str) -> None:
        """A page published with an expiry, or a grant renewed with one, a moment ahead; the
        index gets them as production would, then the moment passes."""
        pages, grants = [p for p in self.pages() if p.live], self._grants()
        if what == "grant" and grants:
            pages = []
        if what == "page" and pages:
            grants = []
        page = self.pick(pages, n) if pages else None
        grant = self.pick(grants, m) if grants else None
        names = []
        if page is not None:
            names.append(f"{page.key} is published with an expiry")
        if grant is not None:
            names.append(f"the grant of {grant[0].key} to {grant[1]} gets an expiry")

        def act():
            from django.core.exceptions import ValidationError

            from classification import changes

            deadlines, touched = [], []

            def soon(write: Callable[[datetime], None]) -> None:
                """``write`` with an expiry a moment ahead; a machine that stalls past the
                moment (the write refuses an expiry in the past) gets a new moment."""
                for attempt in range(3):
                    deadline = timezone.now() + SOON * (attempt + 1)
                    try:
                        with transaction.atomic():
                            write(deadline)
                    except ValidationError:
                        if deadline > timezone.now():
                            raise
                        continue
                    deadlines.append(deadline)
                    return
                raise AssertionError("the machine stalls: an expiry a second ahead has passed")

            if grant is not None:
                item, principal = grant
                officer, obj, who = self.user("officer"), self.obj(item), self.principal(principal)

                def renew(deadline: datetime) -> None:
                    changes.grant(officer, obj, who, deadline)
                    item.grants[principal] = deadline

                soon(renew)
                touched.append(item.key)
            if page is not None:

                def expiring(deadline: datetime) -> None:
                    self._revise(page, expire_at=deadline).publish()
                    self._published(page, page.revisions[-1])

                soon(expiring)
                touched.append(page.key)
            self._sync_index()
            time.sleep(max(0.0, (max(deadlines) - timezone.now()).total_seconds()) + 0.02)
            return touched

        self._run(" and ".join(names) + ", and time passes" if names else "time passes", act)

    @precondition(
        lambda self: any(
            p.scheduled or (p.live and p.expire_at and p.expire_at < timezone.now())
            for p in self.pages()
        )
    )
    @rule()
    def scheduler_runs(self) -> None:
        """Time reaches every scheduled go-live; Wagtail's scheduler unpublishes expired pages,
        then publishes the revisions whose go-live has come."""

        def act():
            from wagtail.models import Revision as WagtailRevision

            past = timezone.now() - timedelta(minutes=1)
            touched = []
            for item in self.pages():
                if item.scheduled is None:
                    continue
                row = WagtailRevision.objects.get(pk=item.scheduled)
                row.content["go_live_at"] = past.isoformat()
                row.approved_go_live_at = past
                row.save(update_fields=["content", "approved_go_live_at"])
                self._revision(item, item.scheduled).go_live_at = past
            call_command("publish_scheduled", stdout=StringIO())
            now = timezone.now()
            for item in self.pages():
                if item.live and item.expire_at is not None and item.expire_at < now:
                    item.live = item.has_live_revision = False
                    item.scheduled = None
                    touched.append(item.key)
            for item in self.pages():
                if item.scheduled is not None:
                    self._published(item, self._revision(item, item.scheduled))
                    touched.append(item.key)
            return touched

        self._run("Wagtail's scheduler runs after every scheduled go-live", act)

    # -- release settings ----------------------------------------------------------------------

    @rule(
        n=st.integers(0, 99),
        tier=st.sampled_from(TIERS),
        fields=st.one_of(
            st.none(),
            st.just({}),
            st.dictionaries(st.integers(0, 3), st.sampled_from(TIERS), max_size=2),
        ),
    )
    def set_tier(self, n: int, tier: str, fields) -> None:
        item = self.pick(list(self.items.values()), n)
        names = sorted(n for n in FIELD_DEFAULTS[item.kind] if n not in ("attachments",))
        field_tiers = None
        if fields is not None:
            field_tiers = {names[i % len(names)]: t for i, t in fields.items()}

        def act():
            from classification import changes

            changes.set_tier(self.user("officer"), self.obj(item), tier, field_tiers)
            item.tier = tier
            if field_tiers is not None:
                item.field_tiers = dict(field_tiers)
            return [item.key]

        self._run(f"officer sets {item.key} to {tier}, field tiers {field_tiers}", act)

    def _principals(self) -> list[tuple[str, str]]:
        users = [("user", who) for who in ("registered", "enterprise", "member", "publisher")]
        return [*users, ("group", ADHOC), ("enterprise", "E1"), ("enterprise", "E2")]

    @rule(n=st.integers(0, 99), p=st.integers(0, 99), timed=st.booleans())
    def grant(self, n: int, p: int, timed: bool) -> None:
        item = self.pick(list(self.items.values()), n)
        principal = self.pick(self._principals(), p)

        def act():
            from classification import changes

            until = timezone.now() + timedelta(days=30) if timed else None
            changes.grant(self.user("officer"), self.obj(item), self.principal(principal), until)
            item.grants[principal] = until
            return [item.key]

        self._run(f"officer grants {item.key} to {principal}{' for 30 days' * timed}", act)

    def _grants(self) -> list[tuple[Item, tuple[str, str]]]:
        return [(item, p) for item in self.items.values() for p in sorted(item.grants)]

    def _timed_grants(self) -> list:
        return [(i, p) for i, p in self._grants() if i.grants[p] is not None]

    @precondition(lambda self: self._grants())
    @rule(n=st.integers(0, 99))
    def revoke(self, n: int) -> None:
        item, principal = self.pick(self._grants(), n)

        def act():
            from classification import changes

            row = next(
                r for r in _grant_rows(self.obj(item)) if _principal_key(r, self) == principal
            )
            changes.revoke_grant(self.user("officer"), row)
            del item.grants[principal]
            return [item.key]

        self._run(f"officer revokes the grant of {item.key} to {principal}", act)

    @precondition(lambda self: any(i.grants[p] <= timezone.now() for i, p in self._timed_grants()))
    @rule()
    def sweep_expired_grants(self) -> None:
        def act():
            from classification import changes

            now = timezone.now()
            expired = [(i, p) for i, p in self._timed_grants() if i.grants[p] <= now]
            assert changes.expire() == len(expired)
            for item, principal in expired:
                del item.grants[principal]
            return [item.key for item, _ in expired]

        self._run("the hourly task removes expired grants", act)

    # -- enterprises, claims and groups ------------------------------------------------------

    @precondition(
        lambda self: [e for e in self.of_kind("enterprise") if e.owners and not e.submitted]
    )
    @rule(n=st.integers(0, 99))
    def enterprise_submits(self, n: int) -> None:
        item = self.pick([e for e in self.of_kind("enterprise") if e.owners and not e.submitted], n)
        owner = sorted(item.owners)[0]

        def act():
            from portal.enterprises import workflow

            workflow.save_draft(self.user(owner), self.obj(item), {})
            workflow.submit(self.user(owner), self.obj(item))
            item.submitted = True
            if item.status != "approved":
                item.status = "submitted"
            return [item.key]

        self._run(f"{owner} submits profile {item.key}", act)

    @precondition(lambda self: [e for e in self.of_kind("enterprise") if e.submitted])
    @rule(n=st.integers(0, 99), approve=st.booleans())
    def reviewer_decides(self, n: int, approve: bool) -> None:
        item = self.pick([e for e in self.of_kind("enterprise") if e.submitted], n)

        def act():
            from portal.enterprises import workflow

            if approve:
                workflow.approve(self.user("reviewer"), self.obj(item))
                item.status = "approved"
            else:
                workflow.return_for_changes(self.user("reviewer"), self.obj(item), "请补充材料")
                if item.status != "approved":
                    item.status = "returned"
            item.submitted = False
            return [item.key]

        verb = "approves" if approve else "returns"
        self._run(f"reviewer {verb} profile {item.key}", act)

    @precondition(lambda self: [e for e in self.of_kind("enterprise") if e.status == "approved"])
    @rule(n=st.integers(0, 99))
    def reviewer_revokes(self, n: int) -> None:
        item = self.pick([e for e in self.of_kind("enterprise") if e.status == "approved"], n)

        def act():
            from portal.enterprises import workflow

            workflow.revoke(self.user("reviewer"), self.obj(item), "资质失效")
            item.status = "revoked"
            return [item.key]

        self._run(f"reviewer revokes profile {item.key}", act)

    def _claimable(self) -> list[Item]:
        return [
            e
            for e in self.of_kind("enterprise")
            if e.status == "approved" and not e.owners and "enterprise" not in e.claims
        ]

    @precondition(lambda self: self._claimable())
    @rule(n=st.integers(0, 99))
    def claim(self, n: int) -> None:
        """The enterprise user claims an owner-less approved profile. A profile they may not
        see is "not listed" for them: the claim flow must not confirm that it exists."""
        item = self.pick(self._claimable(), n)
        visible = self.oracle.sees("enterprise", item, timezone.now())

        def act():
            from portal.enterprises import claims

            if visible:
                claims.submit_claim(self.user("enterprise"), item.uscc, "本企业申请认领")
                item.claims.add("enterprise")
            else:
                with pytest.raises(claims.ClaimError) as refused:
                    claims.submit_claim(self.user("enterprise"), item.uscc, "本企业申请认领")
                assert refused.value.code == "not_found", refused.value
            return [item.key]

        hidden = "" if visible else " it may not see"
        self._run(f"enterprise claims profile {item.key}{hidden}", act)

    @precondition(lambda self: [e for e in self.of_kind("enterprise") if e.claims])
    @rule(n=st.integers(0, 99), confirm=st.booleans())
    def reviewer_decides_claim(self, n: int, confirm: bool) -> None:
        item = self.pick([e for e in self.of_kind("enterprise") if e.claims], n)
        confirm = confirm and not item.owners  # a profile with owners cannot be claimed

        def act():
            from portal.enterprises import claims
            from portal.enterprises.models import EnterpriseClaim

            claim = EnterpriseClaim.objects.get(enterprise_id=item.pk, state="pending")
            if confirm:
                claims.confirm(self.user("reviewer"), claim)
                item.owners.add("enterprise")
            else:
                claims.reject(self.user("reviewer"), claim, "材料不符")
            item.claims.clear()
            return [item.key]

        self._run(f"reviewer {'confirms' if confirm else 'rejects'} the claim of {item.key}", act)

    @rule(
        n=st.integers(0, 99), who=st.sampled_from(["enterprise", "registered"]), join=st.booleans()
    )
    def ownership_changes(self, n: int, who: str, join: bool) -> None:
        item = self.pick(self.of_kind("enterprise"), n)

        def act():
            enterprise = self.obj(item)
            if join:
                enterprise.add_owners(self.w.users[who])
                item.owners.add(who)
            else:
                enterprise.remove_owner(self.w.users[who])
                item.owners.discard(who)
            return [item.key]

        verb = "joins" if join else "leaves"
        self._run(f"{who} {verb} the owners of {item.key}", act)

    @rule(
        who=st.sampled_from(["registered", "member", "enterprise", "publisher"]), join=st.booleans()
    )
    def membership_changes(self, who: str, join: bool) -> None:
        def act():
            user = self.w.users[who]
            if join:
                user.groups.add(self.w.group)
                self.people[who].groups.add(ADHOC)
            else:
                user.groups.remove(self.w.group)
                self.people[who].groups.discard(ADHOC)
            return []

        self._run(f"{who} {'joins' if join else 'leaves'} the ad-hoc group", act)

    # -- the search engine ---------------------------------------------------------------------

    @precondition(lambda self: self.outage is None and self.step - self.outage_step >= 15)
    @rule()
    def engine_goes_down(self) -> None:
        def act():
            from search import engine

            self.outage_step = self.step
            self.outage = override_settings(SEARCH_URL="http://127.0.0.1:9")
            self.outage.enable()
            engine.client.cache_clear()
            return []

        self._run("the search engine goes down", act)

    @precondition(lambda self: self.outage is not None and self.step - self.outage_step >= 3)
    @rule()
    def engine_comes_back(self) -> None:
        def act():
            self._end_outage()
            return []

        self._run("the search engine comes back; the outbox drains", act)

    @precondition(
        lambda self: self.outage is None and self.step - self.last_rebuild >= REBUILD_EVERY
    )
    @rule()
    def rebuild(self) -> None:
        def act():
            from search import indexing
            from search.registry import names

            for name in names():
                indexing.rebuild(name)
            self.last_rebuild = self.step
            return []

        self._run("every index is rebuilt", act)

    # ===========================================================================================
    # Surfaces
    # ===========================================================================================

    def _get(self, who: str, url: str, **params):
        return self.w.clients[who].get(url, params)

    def _fail(self, who: str, surface: str, message: str) -> None:
        raise Disagreement(f"{surface}, user {who}: {message}")

    def _expect_ids(self, who: str, surface: str, got: set[int], items: list[Item]) -> None:
        want = {item.pk for item in items}
        if got != want:
            names = {item.pk: item.key for item in self.items.values()}
            extra = sorted(names.get(pk, pk) for pk in got - want)
            missing = sorted(names.get(pk, pk) for pk in want - got)
            self._fail(who, surface, f"shows {extra} it must not, misses {missing}")

    def _no_unreadable(self, who: str, surface: str, text: str, now: datetime) -> None:
        """No value of a field the person may not read appears anywhere in ``text`` (a value a
        copy shares with its source is explained by either one the person reads)."""
        readable: dict[str, bool] = {}
        holders: dict[str, str] = {}
        for item in self.items.values():
            for name, values in item.secrets.items():
                reads = self.oracle.sees(who, item, now) and self.oracle.reads(who, item, name, now)
                for value in values:
                    readable[value] = readable.get(value, False) or reads
                    holders.setdefault(value, f"the {name} of {item.key}")
        for value, reads in readable.items():
            if value in text and not reads:
                self._fail(who, surface, f"{holders[value]} leaks ({value})")

    def _secrets_exactly(self, who: str, surface: str, item: Item, text: str, now) -> None:
        """Each sensitive value of ``item`` is in ``text`` exactly when the person reads it."""
        for name, values in item.secrets.items():
            readable = self.oracle.reads(who, item, name, now)
            for value in values:
                if (value in text) != readable:
                    problem = "leaks" if readable is False else "is missing"
                    self._fail(who, surface, f"the {name} of {item.key} {problem} ({value})")

    # -- list surfaces: one request shows everything a person finds there ---------------------

    def _notice_list(self, who: str, now) -> None:
        body = self._get(who, "/api/v1/notices/", page_size=100).json()
        rows = {row["id"]: row for row in body["results"]}
        want = [i for i in self.of_kind("notice") if self.oracle.on_site(who, i, now)]
        self._expect_ids(who, "notice API list", set(rows), want)
        assert body["count"] == len(rows) == sum(body["facets"]["kind"].values())
        for item in want:
            hidden = self.oracle.hidden(who, item, now)
            if rows[item.pk]["redacted"] != hidden:
                got = rows[item.pk]["redacted"]
                self._fail(who, "notice API list", f"{item.key} redacts {got}, not {hidden}")
        self._no_unreadable(who, "notice API list", json.dumps(body, ensure_ascii=False), now)

    def _paper_list(self, who: str, now) -> None:
        body = self._get(who, "/api/v1/papers/", page_size=100).json()
        rows = {row["id"]: row for row in body["results"]}
        want = [i for i in self.of_kind("paper") if self.oracle.on_site(who, i, now)]
        self._expect_ids(who, "paper API list", set(rows), want)
        assert body["count"] == len(rows)
        for item in want:
            self._paper_row(who, "paper API list", item, rows[item.pk], now)

    def _paper_row(self, who: str, surface: str, item: Item, row: dict, now) -> None:
        readable = self.oracle.reads(who, item, "pdf", now)
        if ("pdf_url" in row) != readable or row["redacted"] != ([] if readable else ["pdf_url"]):
            self._fail(who, surface, f"{item.key}: pdf_url {'pdf_url' in row}, readable {readable}")

    def _enterprise_list(self, who: str, now) -> None:
        body = self._get(who, "/api/v1/enterprises/", page_size=100).json()
        rows = {row["id"]: row for row in body["results"]}
        want = [i for i in self.of_kind("enterprise") if self.oracle.on_site(who, i, now)]
        self._expect_ids(who, "enterprise API list", set(rows), want)
        assert body["count"] == len(rows)
        for item in want:
            self._enterprise_row(who, "enterprise API list", item, rows[item.pk], now)

    def _enterprise_row(self, who: str, surface: str, item: Item, row: dict, now) -> None:
        hidden = self.oracle.hidden(who, item, now)
        if row["redacted"] != hidden:
            self._fail(who, surface, f"{item.key} redacts {row['redacted']}, not {hidden}")
        self._secrets_exactly(who, surface, item, json.dumps(row, ensure_ascii=False), now)

    def _directory(self, who: str, now) -> None:
        response = self._get(who, "/enterprises/")
        assert response.status_code == 200
        page = response.context["page"]
        want = [i for i in self.of_kind("enterprise") if self.oracle.released_and_seen(who, i, now)]
        self._expect_ids(who, "directory", {e.pk for e in page.object_list}, want)
        assert page.paginator.count == len(want)

    def _feed(self, who: str, kind: str, now) -> None:
        """Public feeds read as the anonymous visitor; a user's token feed as its owner (read
        without a session, as a feed reader does)."""
        base = "/notices/feed/" if kind == "notice" else "/papers/feed/"
        url = base if who == "anonymous" else f"{base}u/{self.w.feed_tokens[who]}/"
        response = Client().get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = response.content.decode()
        got = {i.pk for i in self.of_kind(kind) if f"{i.url}<" in text}
        want = [i for i in self.of_kind(kind) if self.oracle.on_site(who, i, now)]
        self._expect_ids(who, f"{kind} feed", got, want)
        self._no_unreadable(who, f"{kind} feed", text, now)

    def _notice_feed(self, who: str, now) -> None:
        self._feed(who, "notice", now)

    def _paper_feed(self, who: str, now) -> None:
        self._feed(who, "paper", now)

    def _sitemap(self, who: str, now) -> None:
        """The sitemap lists what an anonymous visitor sees, whoever asks."""
        response = self._get(who, "/sitemap.xml")
        assert response.status_code == 200
        text = response.content.decode()
        got = {i.pk for i in self.pages() if f"{i.url}</loc>" in text}
        want = [i for i in self.pages() if self.oracle.on_site("anonymous", i, now)]
        self._expect_ids(who, "sitemap", got, want)

    def _search_down(self, response) -> bool:
        """During an outage every search answers 503 (and nothing else is checked)."""
        if self.outage is None:
            assert response.status_code == 200, response.status_code
            return False
        assert response.status_code == 503, response.status_code
        return True

    def _site_search(self, who: str, now) -> None:
        response = self._get(who, "/api/v1/search/", page_size=100)
        if self._search_down(response):
            return
        body = response.json()
        counts = {facet["key"]: facet["count"] for facet in body["facets"]["type"]}
        for kind in ("enterprise", "notice", "paper"):
            got = {row["id"] for row in body["results"] if row["type"] == kind}
            want = [i for i in self.of_kind(kind) if self.oracle.in_search(who, i, now)]
            self._expect_ids(who, f"site search ({kind} hits)", got, want)
            if counts.get(kind, 0) != len(want):
                message = f"counts {counts.get(kind)} {kind}s, not {len(want)}"
                self._fail(who, "site search type facet", message)
        assert body["count"] == len(body["results"])
        self._no_unreadable(who, "site search", json.dumps(body, ensure_ascii=False), now)

    def _suggestions(self, who: str, now) -> None:
        response = self._get(who, "/api/v1/suggest/", q=COMMON)
        if self._search_down(response):
            return
        got = set(response.json()["results"])
        want = {i.title for i in self.of_kind("enterprise") if self.oracle.in_search(who, i, now)}
        if got != want:
            self._fail(who, "suggestions", f"{sorted(got)} instead of {sorted(want)}")

    def _notice_search(self, who: str, now) -> None:
        response = self._get(who, "/api/v1/notices/", q=COMMON, page_size=100)
        if self._search_down(response):
            return
        body = response.json()
        want = [i for i in self.of_kind("notice") if self.oracle.in_search(who, i, now)]
        self._expect_ids(who, "notice search", {row["id"] for row in body["results"]}, want)
        kinds = body["facets"]["kind"]
        if body["count"] != len(want) or sum(kinds.values()) != len(want):
            message = f"counts {body['count']} (kinds {kinds}), not {len(want)}"
            self._fail(who, "notice search total and kind facet", message)
        self._no_unreadable(who, "notice search", json.dumps(body, ensure_ascii=False), now)

    def _admin_listing(self, who: str, kind: str, now) -> None:
        index = self.w.notice_index if kind == "notice" else self.w.paper_index
        response = self._get(who, "/admin/api/main/pages/", child_of=index, limit=20)
        assert response.status_code == 200, (who, kind, response.status_code)
        got = {row["id"] for row in response.json()["items"]}
        want = [i for i in self.of_kind(kind) if self.oracle.sees(who, i, now)]
        self._expect_ids(who, f"admin API listing of {kind}s", got, want)

    def _notice_admin_listing(self, who: str, now) -> None:
        self._admin_listing(who, "notice", now)

    def _paper_admin_listing(self, who: str, now) -> None:
        self._admin_listing(who, "paper", now)

    def _alerts(self, who: str, now) -> None:
        """One alert run for the person: the new items are what they may see now and were not
        sent before (to a verified address only); nothing unreadable is in the e-mail."""
        from django.core import mail

        from portal.alerts import delivery
        from portal.alerts.models import AlertItem

        count = len(getattr(mail, "outbox", []))
        delivery.run_for_user(self.w.users[who].pk)
        verified = self.people[who].verified
        for kind, surface in (("notice", "notice alerts"), ("supplier", "supplier alerts")):
            saved = self.w.saved[who][kind]
            rows = AlertItem.objects.filter(saved_search=saved).values_list("item_id", flat=True)
            sent = set(rows)
            before, self.sent[who][kind] = self.sent[who][kind], sent
            if kind == "notice":
                want = [i for i in self.of_kind("notice") if self.oracle.on_site(who, i, now)]
            else:
                want = [i for i in self.of_kind("enterprise") if self.oracle.in_search(who, i, now)]
            want = [i for i in want if i.pk not in before] if verified else []
            self._expect_ids(who, surface, sent - before, want)
        for message in getattr(mail, "outbox", [])[count:]:
            text = message.subject + message.body + "".join(a[0] for a in message.alternatives)
            self._no_unreadable(who, "alert e-mail", text, now)

    # -- detail surfaces: one item ------------------------------------------------------------

    def _status(self, who: str, surface: str, response, want: bool) -> bool:
        assert response.status_code in (200, 404), (surface, who, response.status_code)
        got = response.status_code == 200
        if got != want:
            self._fail(who, surface, f"answers {response.status_code}, the oracle says {want}")
        return got

    def _profile_page(self, who: str, item: Item, now) -> None:
        surface = f"profile page of {item.key}"
        response = self._get(who, f"/enterprises/{item.pk}/")
        if self._status(who, surface, response, self.oracle.on_site(who, item, now)):
            self._secrets_exactly(who, surface, item, response.content.decode(), now)

    def _enterprise_api(self, who: str, item: Item, now) -> None:
        surface = f"enterprise API detail of {item.key}"
        response = self._get(who, f"/api/v1/enterprises/{item.pk}/")
        if self._status(who, surface, response, self.oracle.on_site(who, item, now)):
            self._enterprise_row(who, surface, item, response.json(), now)

    def _page(self, who: str, item: Item, now) -> None:
        surface = f"page of {item.key}"
        response = self._get(who, item.url)
        if self._status(who, surface, response, self.oracle.on_site(who, item, now)):
            self._secrets_exactly(who, surface, item, response.content.decode(), now)

    def _api_detail(self, who: str, item: Item, now) -> None:
        surface = f"{item.kind} API detail of {item.key}"
        response = self._get(who, f"/api/v1/{item.kind}s/{item.pk}/")
        if not self._status(who, surface, response, self.oracle.on_site(who, item, now)):
            return
        body = response.json()
        if item.kind == "paper":
            self._paper_row(who, surface, item, body, now)
            return
        hidden = self.oracle.hidden(who, item, now)
        if body["redacted"] != hidden:
            self._fail(who, surface, f"redacts {body['redacted']}, not {hidden}")
        self._secrets_exactly(who, surface, item, json.dumps(body, ensure_ascii=False), now)

    def _admin_editor(self, who: str, item: Item, now) -> None:
        """The page editor answers 404 exactly for the pages the person may not see (Wagtail's
        own permissions may still refuse an editor to someone who sees the page)."""
        sees = self.oracle.sees(who, item, now)
        response = self._get(who, f"/admin/pages/{item.pk}/edit/")
        assert response.status_code in (200, 302, 403, 404), response.status_code
        if (response.status_code == 404) == sees:
            message = f"answers {response.status_code}, the oracle says {sees}"
            self._fail(who, f"admin editor of {item.key}", message)

    def _matching(self, who: str, item: Item, now) -> None:
        """Supplier matching of a demand notice: for the people who may list matches and see
        the notice; the suppliers are the released profiles they see (all fit the notice)."""
        allowed = self.oracle.on_site(who, item, now) and (who in MATCHERS or item.owner == who)
        response = self._get(who, f"/matching/notices/{item.pk}/")
        if allowed and self.outage is not None:
            assert response.status_code == 503, response.status_code
            return
        if not self._status(who, f"matching of {item.key}", response, allowed):
            return
        got = {match.item["id"] for match in response.context["matches"]}
        want = [e for e in self.of_kind("enterprise") if self.oracle.in_search(who, e, now)]
        self._expect_ids(who, f"matching of {item.key}", got, want)
        assert response.context["page"].total == len(want)
        text = response.content.decode()
        self._no_unreadable(who, f"matching of {item.key}", text, now)
        if not self.oracle.reads(who, item, "requirements", now):
            for value in item.secrets["requirements"]:
                if value in text:
                    message = f"the requirements of {item.key} leak ({value})"
                    self._fail(who, f"matching of {item.key}", message)


# ============================================================================================
# The world's facts, read from the product's rows for the model check.
# ============================================================================================


def _grant_rows(obj) -> list:
    return [*obj.user_grants.all(), *obj.group_grants.all()]


def _principal_key(row, machine: ReleaseLifecycle) -> tuple[str, str]:
    if hasattr(row, "user_id"):
        return ("user", next(k for k, u in machine.w.users.items() if u.pk == row.user_id))
    if row.group_id == machine.w.group.pk:
        return ("group", ADHOC)
    from portal.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(group_id=row.group_id)
    return ("enterprise", next(k for k, pk in machine.w.enterprises.items() if pk == enterprise.pk))


def _stored_field_tiers(item: Item) -> dict[str, str]:
    """Field tiers as ``set_tier`` stores them: an override equal to the default is dropped."""
    return {n: t for n, t in item.field_tiers.items() if FIELD_DEFAULTS[item.kind][n] != t}


def model_facts(item: Item) -> tuple:
    release = (item.tier, _stored_field_tiers(item), frozenset(item.grants))
    if item.kind == "enterprise":
        return (*release, item.status, frozenset(item.owners))
    return (*release, item.live, item.has_live_revision, item.workflow, item.scheduled)


def world_facts(machine: ReleaseLifecycle) -> dict[str, tuple]:
    """``model_facts`` of every item, read from the database in a few queries."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Revision as WagtailRevision
    from wagtail.models import WorkflowState

    from portal.enterprises import models as enterprises
    from portal.notices import models as notices
    from portal.papers import models as papers

    tables = {
        "enterprise": (enterprises.Enterprise, enterprises.EnterpriseUserGrant,
                       enterprises.EnterpriseGroupGrant),
        "notice": (notices.NoticePage, notices.NoticeUserGrant, notices.NoticeGroupGrant),
        "paper": (papers.PaperPage, papers.PaperUserGrant, papers.PaperGroupGrant),
    }  # fmt: skip
    people = {user.pk: key for key, user in machine.w.users.items()}
    groups = {machine.w.group.pk: ("group", ADHOC)}
    ids = {key: pk for key, pk in machine.w.enterprises.items()}
    for pk, group_id in enterprises.Enterprise.objects.filter(pk__in=ids.values()).values_list(
        "pk", "group_id"
    ):
        if group_id:
            groups[group_id] = ("enterprise", next(k for k, v in ids.items() if v == pk))
    keys = {(item.kind, item.pk): item.key for item in machine.items.values()}
    facts: dict[str, tuple] = {}
    for kind, (model, user_table, group_table) in tables.items():
        pks = [item.pk for item in machine.of_kind(kind)]
        grants: dict[int, set] = {pk: set() for pk in pks}
        for pk, user_id in user_table.objects.filter(content_object_id__in=pks).values_list(
            "content_object_id", "user_id"
        ):
            grants[pk].add(("user", people[user_id]))
        for pk, group_id in group_table.objects.filter(content_object_id__in=pks).values_list(
            "content_object_id", "group_id"
        ):
            grants[pk].add(groups[group_id])
        if kind == "enterprise":
            owners: dict[int, set] = {pk: set() for pk in pks}
            for pk, user_id in (
                get_user_model()
                .objects.filter(groups__enterprise__in=pks)
                .values_list("groups__enterprise", "pk")
            ):
                owners[pk].add(people[user_id])
            for pk, tier, field_tiers, status in model.objects.filter(pk__in=pks).values_list(
                "pk", "tier", "field_tiers", "status"
            ):
                release = (tier, dict(field_tiers or {}), frozenset(grants[pk]))
                facts[keys[(kind, pk)]] = (*release, status, frozenset(owners[pk]))
            continue
        names = [str(pk) for pk in pks]
        steps = dict(
            WorkflowState.objects.filter(
                status=WorkflowState.STATUS_IN_PROGRESS, object_id__in=names
            ).values_list("object_id", "current_task_state__task__name")
        )
        scheduled = dict(
            WagtailRevision.objects.filter(
                object_id__in=names, approved_go_live_at__isnull=False
            ).values_list("object_id", "pk")
        )
        for pk, tier, field_tiers, live, live_revision in model.objects.filter(
            pk__in=pks
        ).values_list("pk", "tier", "field_tiers", "live", "live_revision_id"):
            step = steps.get(str(pk))
            step = None if step is None else ("classify" if step == "定密审核" else "publish")
            release = (tier, dict(field_tiers or {}), frozenset(grants[pk]))
            facts[keys[(kind, pk)]] = (
                *release,
                live,
                live_revision is not None,
                step,
                scheduled.get(str(pk)),
            )
    return facts


# ============================================================================================
# The test
# ============================================================================================


@pytest.fixture
def lifecycle_index(db, settings, tmp_path):
    """A private index prefix and media folders for the test; the indices go afterwards."""
    from django.utils.functional import empty

    from portal.core import storage
    from search import engine, indexing
    from search.registry import alias, names

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    storage._storage._wrapped = empty
    engine.client.cache_clear()
    try:
        engine.health()
    except engine.EngineUnavailable as error:  # pragma: no cover - environment problem
        pytest.fail(f"OpenSearch is not reachable ({error}); run the suite with `make test`.")
    override = override_settings(SEARCH_INDEX_PREFIX=f"lifecycle{uuid.uuid4().hex[:8]}")
    override.enable()
    try:
        for name in names():
            indexing.ensure(name)
        yield
    finally:
        engine.client.cache_clear()
        for name in names():
            for physical in engine.alias_targets(alias(name)):
                engine.delete_index(physical)
        override.disable()
        storage._storage._wrapped = empty


@pytest.mark.engine
def test_release_lifecycle(lifecycle_index) -> None:
    ReleaseLifecycle.world = build_world()
    started, GAPS[:] = time.monotonic(), []
    run_state_machine_as_test(
        ReleaseLifecycle,
        settings=hypothesis.settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            derandomize=DERANDOMIZE,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            print_blob=True,
        ),
    )
    gaps = sorted(GAPS)
    print(
        f"\nrelease lifecycle: {LIFECYCLE_STEPS[0]} steps in {LIFECYCLE_STEPS[1]} examples, "
        f"{time.monotonic() - started:.0f} s; {len(gaps)} checks during steps, steps between "
        f"two checks of a unit: median {gaps[len(gaps) // 2]}, 90% {gaps[len(gaps) * 9 // 10]}, "
        f"max {gaps[-1]}"
    )
