"""Demo enterprises for ``seed_demo``: Guangxi firms that read like real ones, in every state.

About 300 approved profiles (most as if imported from an agency list, so they can be claimed),
and a handful in each workflow state; the demo ``enterprise`` user owns one approved and one
draft profile and has one pending claim. ``--enterprises N`` sets the number of approved
profiles; large N is for benchmarks and goes through the bulk writer of the import (no per-row
signals). Everything is drawn from a ``random.Random`` seeded from ``--seed``: the same seed
gives the same firms, and a second run adds nothing because existing credit codes are skipped.
"""

from __future__ import annotations

import functools
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from pypinyin import lazy_pinyin

from portal.accounts import roles
from portal.accounts.models import User

from . import demo_words as words
from .importing.writer import mark_for_indexing, write
from .models import (
    ClaimState,
    Enterprise,
    EnterpriseClaim,
    EnterpriseVersion,
    Source,
    Status,
    VersionState,
)
from .reference.aliases import load_industries, load_qualification_types, load_regions
from .snapshots import apply_snapshot, empty_snapshot, to_json
from .uscc import ALPHABET, make_uscc, org_code_check_char

DEFAULT_COUNT = 300
#: Demo dates are relative to a fixed day so that the same seed gives the same data every year.
TODAY = date(2026, 1, 1)
#: Profiles drawn and written at a time (a multiple of the 40 of ``_confirmed_long_ago``).
_CHUNK = 10_000

# (type code, probability, levels with weights, number prefix)
_QUALIFICATIONS = [
    ("iso9001", 0.6, [""], "00118Q"),
    ("high_tech", 0.5, [""], "GR2023450"),
    ("gjb9001c", 0.35, [""], "17JB"),
    ("secrecy", 0.25, ["二级", "三级", "三级"], "桂BM"),
    ("equipment_supplier", 0.22, [""], "ZC"),
    ("weapons_license", 0.1, [""], "XK"),
    ("little_giant", 0.08, [""], "XJR"),
]


def _capital(amount: int) -> str:
    # In the snapshot's form of a two-decimal column, so versions equal the live rows.
    return to_json("registered_capital", Decimal(amount).quantize(Decimal("0.01")))


def _product_description(product: str) -> str:
    standard = words.PRODUCT_STANDARDS.get(product)
    return (
        f"{product}，{standard}，可按用户需求定制。"
        if standard
        else f"{product}，可按用户需求定制。"
    )


@functools.cache
def _spelled(brand: str) -> str:
    """A brand in pinyin, for mail addresses; brands repeat, and pypinyin is slow per call."""
    return "".join(lazy_pinyin(brand))


class Generator:
    """Draws enterprises one by one from ``rng``; keeps names and codes unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.usccs: set[str] = set()
        self.names: set[str] = set()
        regions = load_regions()
        self.counties = {
            city: [r["code"] for r in regions if r["parent"] == city] or [city]
            for city in words.CITIES
        }
        self.industries = [
            i["code"] for i in load_industries() if i["code"] in words.INDUSTRY_WORDS
        ]
        self.parent = {i["code"]: i["parent"] for i in load_industries()}

    def uscc(self, area: str) -> str:
        while True:
            body = "MA" + "".join(self.rng.choice(ALPHABET) for _ in range(6))
            code = make_uscc("91" + area + body + org_code_check_char(body))
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def person(self) -> str:
        given = self.rng.choice(words.GIVEN) + (
            self.rng.choice(words.GIVEN) if self.rng.random() < 0.7 else ""
        )
        return self.rng.choice(words.SURNAMES) + given

    def name(self, city: str, industry: str) -> tuple[str, str]:
        name_words = words.INDUSTRY_WORDS[industry][0]
        while True:
            if self.rng.random() < 0.15:
                brand = self.rng.choice(words.SPECIAL_BRANDS)
            else:
                brand = self.rng.choice(words.BRAND_FIRST) + self.rng.choice(words.BRAND_SECOND)
            core = brand + self.rng.choice(name_words)
            full = words.CITIES[city][0] + core + self.rng.choice(words.SUFFIXES)
            if full in self.names:
                brand += self.rng.choice(words.BRAND_SECOND)
                full = words.CITIES[city][0] + brand + self.rng.choice(name_words) + "有限公司"
            if full not in self.names:
                self.names.add(full)
                return full, brand

    def qualifications(self) -> list[dict[str, Any]]:
        items = []
        for code, probability, levels, prefix in _QUALIFICATIONS:
            if self.rng.random() >= probability:
                continue
            start = TODAY - timedelta(days=self.rng.randint(60, 365 * 6))
            until = start + timedelta(days=365 * self.rng.choice([3, 4, 5]) - 1)
            items.append(
                {
                    "type": code,
                    "number": f"{prefix}{self.rng.randint(10000, 99999)}",
                    "issuer": "",
                    "level": self.rng.choice(levels),
                    "valid_from": start.isoformat(),
                    "valid_until": until.isoformat(),  # some lie before TODAY: expired
                    "document": "",
                }
            )
        # In the database's order (type, then expiry) so that versions equal the live rows.
        order = [q["code"] for q in load_qualification_types()]
        return sorted(items, key=lambda q: (order.index(q["type"]), q["valid_until"]))

    def patent_number(self, defense: bool) -> str:
        year = self.rng.randint(2015, 2025)
        if defense:  # 国防专利 numbers are not published in the CNIPA format
            return f"GF{year}{self.rng.randint(100000, 999999)}"
        return f"ZL{year}1{self.rng.randint(1000000, 9999999)}.{self.rng.randint(0, 9)}"

    def enterprise(self) -> dict[str, Any]:
        rng = self.rng
        city = rng.choices(list(words.CITIES), weights=words.CITY_WEIGHTS)[0]
        region = rng.choice(self.counties[city])
        industry = rng.choice(self.industries)
        name_words, products, technologies, tags = words.INDUSTRY_WORDS[industry]
        name, brand = self.name(city, industry)
        codes = {industry} | ({self.parent[industry]} if self.parent[industry] else set())
        if rng.random() < 0.2:
            codes.add(rng.choice(self.industries))
        city_name, area_code = words.CITIES[city]
        founded = date(rng.randint(1995, 2022), rng.randint(1, 12), rng.randint(1, 28))
        chosen_products = rng.sample(products, k=min(len(products), rng.randint(2, 4)))
        chosen_tech = rng.sample(technologies, k=min(len(technologies), rng.randint(1, 3)))
        spelled = _spelled(brand)
        data = empty_snapshot(
            uscc=self.uscc(region),
            name=name,
            short_name=brand + name_words[0][:2],
            legal_representative=self.person(),
            founded_on=founded.isoformat(),
            registered_capital=_capital(rng.choice([300, 500, 1000, 2000, 3000, 5000, 10000])),
            staff_size=rng.choices(
                ["lt20", "20-99", "100-299", "300-999", "1000+"], [2, 5, 4, 2, 1]
            )[0],
            ownership=rng.choices(["private", "state", "mixed", "foreign"], [14, 4, 2, 1])[0],
            region=region,
            address=f"广西{city_name}市{rng.choice(words.ROADS)}{rng.randint(1, 399)}号",
            industries=sorted(codes),
            description=(
                f"{name}成立于{founded.year}年，位于{city_name}，专注于{name_words[0]}领域，"
                f"主要产品有{'、'.join(chosen_products)}，掌握{'、'.join(chosen_tech)}等核心技术，"
                f"可为军队和国防科技工业单位提供配套产品与技术服务。"
            ),
            capabilities=f"具备{chosen_products[0]}的研发、生产、检测和售后保障能力。",
            capability_tags=list(tags),
        )
        data["qualifications"] = self.qualifications()
        data["products"] = [
            {"name": p, "description": _product_description(p)} for p in chosen_products
        ]
        data["technologies"] = [{"name": t, "description": ""} for t in chosen_tech]
        data["patents"] = [
            {
                "number": self.patent_number(defense),
                "title": f"一种{rng.choice(chosen_tech)}{rng.choice(['方法', '装置', '系统'])}",
                "is_defense": defense,
                "granted_on": (TODAY - timedelta(days=rng.randint(100, 3000))).isoformat(),
            }
            for defense in (rng.random() < 0.2 for _ in range(rng.randint(0, 4)))
        ]
        data["cases"] = [
            {
                "title": rng.choice(words.CLIENTS)
                + rng.choice(chosen_products)
                + rng.choice(words.CASE_KINDS),
                "client": rng.choice(words.CLIENTS),
                "year": rng.randint(2016, 2025),
                "description": "",
            }
            for _ in range(rng.randint(0, 3))
        ]
        phone = (
            f"{area_code}-{rng.randint(2000000, 8999999)}"
            if rng.random() < 0.6
            else f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}"
        )
        data["contacts"] = [
            {
                "name": self.person(),
                "job_title": rng.choice(words.JOB_TITLES),
                "phone": phone,
                "email": f"{spelled}{rng.randint(1, 99)}@demo.junmin.local",
            }
        ]
        return data


def _owner(username: str) -> User:
    """Extra owners for the workflow-state profiles; they cannot log in (no password)."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@demo.junmin.local"}
    )
    if created:
        user.set_unusable_password()
        user.email_verified_at = timezone.now()
        user.save()
        user.groups.add(Group.objects.get(name=roles.ENTERPRISE))
    return user


def _versioned(data: dict, owner: User, states: list[tuple[str, dict]], status: str) -> Enterprise:
    """A registered profile with the given version history; the last approved one is live."""
    enterprise = Enterprise(uscc=data["uscc"], status=status, source=Source.REGISTERED)
    live = next((d for s, d in reversed(states) if s == VersionState.APPROVED), data)
    apply_snapshot(enterprise, live)
    if any(s == VersionState.APPROVED for s, _d in states):
        enterprise.approved_at = timezone.now()
        enterprise.save(update_fields=["approved_at"])
    enterprise.add_owners(owner)
    now = timezone.now()
    for number, (state, snapshot) in enumerate(states, start=1):
        EnterpriseVersion.objects.create(
            enterprise=enterprise,
            number=number,
            state=state,
            data=snapshot,
            created_by=owner,
            submitted_at=now if state != VersionState.DRAFT else None,
            decided_at=now if state in (VersionState.APPROVED, VersionState.RETURNED) else None,
            reason=words.RETURN_REASONS[number % 2] if state == VersionState.RETURNED else "",
        )
    return enterprise


def _workflow_states(gen: Generator) -> list[tuple[str, str, list[tuple[str, dict]], str]]:
    """(owner username, status, version history) for the profiles shown in every state."""
    a, d = VersionState.APPROVED, VersionState.DRAFT
    made = []
    changed = gen.enterprise()
    edited = {**changed, "description": changed["description"] + "近年新增无人机配套业务。"}
    plan = [
        ("enterprise", Status.APPROVED, [(a, None)]),
        ("enterprise", Status.DRAFT, [(d, None)]),
        ("demo-owner-1", Status.DRAFT, [(d, None)]),
        ("demo-owner-2", Status.SUBMITTED, [(VersionState.SUBMITTED, None)]),
        ("demo-owner-3", Status.APPROVED, [(a, changed), (VersionState.SUBMITTED, edited)]),
        ("demo-owner-4", Status.RETURNED, [(VersionState.RETURNED, None)]),
        ("demo-owner-5", Status.REVOKED, [(a, None)]),
    ]
    for owner, status, history in plan:
        base = gen.enterprise()
        made.append((owner, status, [(s, snap or base) for s, snap in history], ""))
    return made


def seed(rng, stdout, options) -> None:
    """Create the demo enterprises (``options["enterprises"]`` approved ones, default 300)."""
    count = options.get("enterprises") or DEFAULT_COUNT
    seed_number = options.get("seed", 2026)
    fresh, first = grow(count, seed_number)
    # Their own generator: the same profiles in workflow states whatever the registry's size.
    gen = Generator(random.Random(f"enterprise-states-{seed_number}"))  # noqa: S311
    made = 0
    for owner, status, history, _unused in _workflow_states(gen):
        if Enterprise.objects.filter(uscc=history[0][1]["uscc"]).exists():
            continue
        _versioned(history[-1][1], _owner(owner), history, status)
        made += 1
    _pending_claim(first)
    stdout.write(f"Enterprises: {fresh} approved created, {made} in workflow states.")


def grow(count: int, seed_number: int = 2026) -> tuple[int, str]:
    """Make sure the first ``count`` approved profiles the seed draws exist; returns how many
    were created and the first one's credit code.

    The profiles are drawn and written a chunk at a time (``write``, the import's COPY path),
    so a million of them never sit in memory at once; the same seed draws the same sequence,
    so a registry grows from 10,000 to 100,000 to 1,000,000 by adding the profiles it lacks.
    """
    gen = Generator(random.Random(f"enterprises-{seed_number}"))  # noqa: S311
    created, first = 0, ""
    for start in range(0, count, _CHUNK):
        drawn = [gen.enterprise() for _ in range(min(_CHUNK, count - start))]
        first = first or drawn[0]["uscc"]
        # A chunk at a time: outside a caller's transaction each chunk commits on its own, so a
        # million profiles never wait in one transaction (and its queue of deferred foreign-key
        # checks); an interrupted growth resumes where it stopped, since the chunks it wrote
        # are skipped.
        with transaction.atomic():
            existing = set(
                Enterprise.objects.filter(uscc__in=[d["uscc"] for d in drawn]).values_list(
                    "uscc", flat=True
                )
            )
            fresh = [d for d in drawn if d["uscc"] not in existing]
            if fresh:
                write(fresh, [])
                _confirmed_long_ago(fresh)
                created += len(fresh)
    return created, first


def _confirmed_long_ago(fresh: list[dict]) -> None:
    """A few profiles last confirmed over a year ago (due) or over thirteen months ago (待更新),
    so that the demo shows the yearly confirmation: badges, reminders and the counts."""
    now = timezone.now()
    for usccs, age in (
        ([d["uscc"] for d in fresh[5::40]], timedelta(days=370)),
        ([d["uscc"] for d in fresh[::40]], timedelta(days=420)),
    ):
        aged = Enterprise.objects.filter(uscc__in=usccs)
        aged.update(approved_at=now - age, confirmed_at=now - age)
        mark_for_indexing(list(aged.values_list("pk", flat=True)))


def _pending_claim(uscc: str) -> None:
    """The demo enterprise user has claimed one imported profile; reviewers see it queued."""
    user = User.objects.filter(username="enterprise").first()
    target = Enterprise.objects.filter(uscc=uscc).first()
    if user is None or target is None or target.owners.exists():
        return
    EnterpriseClaim.objects.get_or_create(
        enterprise=target,
        claimant=user,
        state=ClaimState.PENDING,
        defaults={"message": "本人为该公司市场部经理，附营业执照及授权委托书。"},
    )
