"""The load test's data: the demo data set, indexed, plus the accounts of the simulated users
and the addresses they visit, chosen through the release policy (what each kind of user may
really see), written into the plan the Locust process reads."""

from __future__ import annotations

import io
import random
import time
from typing import Any

from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from classification import policy
from portal.accounts import roles
from portal.accounts.models import User
from portal.enterprises.models import Enterprise
from portal.enterprises.models.enterprise import Status
from portal.notices.models import Kind, NoticePage
from portal.papers.models import PaperPage

#: Accounts of the simulated users: more than the population holds of each kind, so that no
#: two simulated users share a session or edit the same profile.
OFFICERS = 20
ENTERPRISE_OWNERS = 20
#: Throwaway: the bench database lives for one `make bench`.
PASSWORD = "Load-test-only-2026-pw"  # noqa: S105


def _seed() -> int:
    """The demo data set (300 approved enterprises, notices of every kind and tier, papers);
    a bench database that already holds the 100,000 of the other benches keeps them."""
    if not User.objects.filter(username="procurement").exists():
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        print(f"  seeded the demo data in {time.perf_counter() - started:.1f} s")
    return Enterprise.objects.count()


def _index() -> None:
    """Send what the outbox holds; rebuild when the index still differs (a fresh database)."""
    quiet = io.StringIO()
    call_command("search_index", drain=True, stdout=quiet)
    try:
        call_command("search_index", check=True, stdout=quiet)
    except CommandError:
        started = time.perf_counter()
        call_command("search_index", rebuild=True, no_progress=True, stdout=quiet)
        print(f"  rebuilt the search indices in {time.perf_counter() - started:.1f} s")


def _account(username: str, role: str) -> User:
    user, _created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@load.junmin.local"}
    )
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.is_active = True
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


@transaction.atomic
def _accounts() -> dict[str, Any]:
    """Officers, and enterprise users each owning one approved profile nobody else owns."""
    officers = [_account(f"load-officer-{n:02d}", roles.PROCUREMENT) for n in range(OFFICERS)]
    owned: list[list] = []
    unowned = (
        Enterprise.objects.filter(status=Status.APPROVED)
        .exclude(pk__in=Group.objects.filter(enterprise__isnull=False).values("enterprise"))
        .order_by("pk")
    )
    for n in range(ENTERPRISE_OWNERS):
        user = _account(f"load-enterprise-{n:02d}", roles.ENTERPRISE)
        mine = Enterprise.objects.filter(
            pk__in=Group.objects.filter(user=user, enterprise__isnull=False).values("enterprise")
        ).first()
        if mine is None:
            mine = unowned.first()
            mine.add_owners(user)
        owned.append([user.username, mine.pk])
    return {"officers": [o.username for o in officers], "owners": owned}


def _addresses() -> dict[str, Any]:
    """What each kind of user reads: public items for visitors, vetted ones for officers."""
    anonymous = AnonymousUser()
    officer = User.objects.get(username="load-officer-00")
    notices = policy.visible(NoticePage.objects.live(), anonymous)
    papers = policy.visible(PaperPage.objects.live(), anonymous)
    public = policy.visible(Enterprise.objects.all(), anonymous).order_by("pk")
    vetted = policy.visible(Enterprise.objects.all(), officer).order_by("pk")
    demands = policy.visible(NoticePage.objects.live().filter(kind=Kind.DEMAND), officer)
    rng = random.Random(2026)

    def sample(queryset, count: int = 300) -> list[int]:
        ids = list(queryset.values_list("pk", flat=True)[:5000])
        return rng.sample(ids, min(count, len(ids)))

    return {
        "notices": [page.url for page in notices.specific()],
        "papers": [page.url for page in papers.specific()],
        "public_enterprises": sample(public),
        "vetted_enterprises": sample(vetted),
        "demands": sorted(demands.values_list("pk", flat=True)),
    }


def prepare() -> dict[str, Any]:
    """Seed, index and choose: the plan of the run (the host is added by the caller)."""
    enterprises = _seed()
    _index()
    return {
        "enterprises": enterprises,
        "password": PASSWORD,
        "desk": "load-officer-00",
        **_accounts(),
        **_addresses(),
    }
