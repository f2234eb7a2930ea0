"""Release-policy latency: ``classification.policy.visible`` on 100,000 classified enterprises,
for a user holding 5,000 targeted grants and for a user holding none — a 20-item page and a
count — against the naive paths measured in the same run: django-guardian's
``get_objects_for_user`` feeding the filter, and a Python loop over the rows.

Everything this bench writes (missing enterprises, tiers, users, grants) happens in one
transaction that is rolled back at the end, so the benches that share the database see the
data set unchanged. Target (issue 4): page and count within 30 ms each for the 5,000-grant user.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from support import LARGE, median, setup_django, timed

setup_django()

from django.contrib.auth.models import Permission  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from guardian.models import UserObjectPermission  # noqa: E402
from guardian.shortcuts import get_objects_for_user  # noqa: E402

from classification import policy  # noqa: E402
from classification.changes import targeted_permission  # noqa: E402
from classification.models import Grant  # noqa: E402
from classification.tiers import ORDER, Tier, tiers_up_to  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.enterprises.models import Enterprise, Industry, Region, Status  # noqa: E402

GRANTS = 5_000
#: Share of each tier among the 100k rows (by pk modulo 20).
TIER_BY_SLOT = [Tier.PUBLIC] * 12 + [Tier.REGISTERED] * 3 + [Tier.VETTED] * 3 + [Tier.TARGETED] * 2


def create_missing(count: int) -> None:
    """Bulk-create enterprises up to ``count`` with valid region and industry references."""
    have = Enterprise.objects.count()
    if have >= count:
        return
    started = time.perf_counter()
    regions = list(Region.objects.values_list("code", flat=True))
    industries = list(Industry.objects.values_list("code", flat=True))
    rng = random.Random(4)
    through = Enterprise.industries.through
    for start in range(have, count, 5_000):
        rows = [
            Enterprise(
                uscc=f"9X{number:016d}",
                name=f"基准企业{number:06d}",
                region_id=rng.choice(regions),
                status=Status.APPROVED,
            )
            for number in range(start, min(count, start + 5_000))
        ]
        Enterprise.objects.bulk_create(rows, batch_size=5_000)
        links = [through(enterprise_id=row.pk, industry_id=rng.choice(industries)) for row in rows]
        through.objects.bulk_create(links, batch_size=5_000)
    print(f"  created {count - have:,} enterprises in {time.perf_counter() - started:.1f} s")


def classify() -> list[int]:
    """Spread the tiers over the rows; return the ids of the targeted ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE enterprises_enterprise SET tier = (%s::text[])[(id %% 20) + 1]",
            [[str(t) for t in TIER_BY_SLOT]],
        )
    return list(
        Enterprise.objects.filter(tier=Tier.TARGETED).order_by("pk").values_list("pk", flat=True)
    )


def make_users(targeted: list[int]) -> tuple[User, User]:
    now = timezone.now()
    many = User.objects.create_user("bench-many", "many@bench.local", email_verified_at=now)
    none = User.objects.create_user("bench-none", "none@bench.local", email_verified_at=now)
    rng = random.Random(5)
    chosen = rng.sample(targeted, min(GRANTS, len(targeted)))
    content_type = ContentType.objects.get_for_model(Enterprise)
    permission: Permission = targeted_permission(Enterprise)
    later = now + timedelta(days=30)
    grants = [
        # A tenth of them expired: the policy must ignore those.
        Grant(
            content_type=content_type,
            object_id=pk,
            user=many,
            valid_until=(now - timedelta(days=1)) if n % 10 == 0 else later,
        )
        for n, pk in enumerate(chosen)
    ]
    Grant.objects.bulk_create(grants, batch_size=5_000)
    mirrors = [
        UserObjectPermission(
            user=many, permission=permission, content_type=content_type, object_pk=str(pk)
        )
        for n, pk in enumerate(chosen)
        if n % 10
    ]
    UserObjectPermission.objects.bulk_create(mirrors, batch_size=5_000)
    return many, none


def policy_page(user_pk: int, order: str = "pk") -> list:
    user = User.objects.get(pk=user_pk)  # a new request: nothing cached
    return list(policy.visible(Enterprise.objects.all(), user).order_by(order)[:20])


def policy_count(user_pk: int) -> int:
    user = User.objects.get(pk=user_pk)
    return policy.visible(Enterprise.objects.all(), user).count()


def _guardian_queryset(user: User):
    """The naive SQL path: guardian's object-permission query fed into the filter."""
    granted = get_objects_for_user(
        user,
        "enterprises.view_targeted",
        klass=Enterprise,
        accept_global_perms=False,
        with_superuser=False,
    )
    readable = Q(tier__in=tiers_up_to(policy.clearance(user)))
    released = Enterprise.classification.released()
    return Enterprise.objects.filter(released & (readable | Q(pk__in=granted.values("pk"))))


def guardian_page(user_pk: int) -> list:
    user = User.objects.get(pk=user_pk)
    return list(_guardian_queryset(user).order_by("pk")[:20])


def guardian_count(user_pk: int) -> int:
    return _guardian_queryset(User.objects.get(pk=user_pk)).count()


def loop_visible(user_pk: int) -> list[int]:
    """The naive Python path: every released row checked in a loop against the grant set."""
    user = User.objects.get(pk=user_pk)
    readable = set(tiers_up_to(policy.clearance(user)))
    now = timezone.now()
    granted = {
        pk
        for pk, until in Grant.objects.filter(user=user).values_list("object_id", "valid_until")
        if until is None or until > now
    }
    rows = Enterprise.objects.filter(Enterprise.classification.released()).order_by("pk")
    return [pk for pk, tier in rows.values_list("pk", "tier") if tier in readable or pk in granted]


def report(label: str, ours: list[float], naive: list[float], naive_label: str) -> None:
    a, b = median(ours), median(naive)
    print(
        f"  {label:<34} policy {a:7.2f} ms   {naive_label} {b:8.2f} ms   "
        f"ratio ×{b / a:6.1f}   {'OK' if a <= 30 else 'OVER 30 ms'}"
    )


def cleanup(saved_tiers: list[tuple[int, str]]) -> None:
    """Undo this bench's changes: grants, mirrors, users, and the tiers as they were."""
    with transaction.atomic():
        users = User.objects.filter(username__startswith="bench-")
        Grant.objects.filter(user__in=users).delete()
        UserObjectPermission.objects.filter(user__in=users).delete()
        users.delete()
        Enterprise.objects.exclude(tier=Tier.PUBLIC).update(tier=Tier.PUBLIC)
        for tier in ORDER:
            ids = [pk for pk, saved in saved_tiers if saved == tier]
            if ids and tier != Tier.PUBLIC:
                Enterprise.objects.filter(pk__in=ids).update(tier=tier)


def vacuum() -> None:
    """Fresh statistics and visibility map, as autovacuum keeps them in production."""
    with connection.cursor() as cursor:
        for table in ("enterprises_enterprise", "classification_grant"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE guardian_userobjectpermission")


def main() -> None:
    create_missing(LARGE)  # shared with the other benches: kept
    saved = list(Enterprise.objects.exclude(tier=Tier.PUBLIC).values_list("pk", "tier"))
    try:
        with transaction.atomic():
            targeted = classify()
            many, none = make_users(targeted)
        vacuum()
        measure(many, none, len(targeted))
    finally:
        cleanup(saved)


def measure(many: User, none: User, targeted: int) -> None:
    total = Enterprise.objects.count()
    grants = Grant.objects.filter(user=many).count()
    print(f"  {total:,} enterprises; {targeted:,} targeted; {grants:,} grants (10% expired)")
    # The same answers on every path, before timing anything.
    for user in (many, none):
        expected = loop_visible(user.pk)
        assert policy_count(user.pk) == len(expected) == guardian_count(user.pk)
        assert [e.pk for e in policy_page(user.pk)] == expected[:20]
        assert [e.pk for e in guardian_page(user.pk)] == expected[:20]
    print(
        f"  visible to the 5,000-grant user: {policy_count(many.pk):,}; "
        f"to the user with none: {policy_count(none.pk):,} (medians of 7 runs)"
    )
    for name, user in (("5,000 grants", many), ("no grants", none)):
        pk = user.pk
        report(
            f"page of 20 ({name})",
            timed(lambda pk=pk: policy_page(pk)),
            timed(lambda pk=pk: guardian_page(pk)),
            "guardian",
        )
        report(
            f"count ({name})",
            timed(lambda pk=pk: policy_count(pk)),
            timed(lambda pk=pk: guardian_count(pk)),
            "guardian",
        )
        report(
            f"page of 20 ({name}) vs loop",
            timed(lambda pk=pk: policy_page(pk)),
            timed(lambda pk=pk: loop_visible(pk)[:20], repeat=3),
            "py loop ",
        )
    report(
        "page of 20 by name (5,000 grants)",
        timed(lambda: policy_page(many.pk, "name")),
        timed(lambda: loop_visible(many.pk)[:20], repeat=3),
        "py loop ",
    )


if __name__ == "__main__":
    main()
