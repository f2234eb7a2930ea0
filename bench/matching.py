"""Supplier matching latency: 50 demand notices over 100,000 enterprises.

Each notice is matched the way the page and the API do it (``match_suppliers``: key terms,
policy filter, qualification and region filters, highlights, the rows' redaction); the
baseline is the same request body sent straight to the engine in the same run, each notice
timed both ways in turn after an untimed pass of all, so the ratio shows what the service adds
(analysis, the DB read of the page's rows, redaction). The more_like_this strategy is timed
too, for docs/matching.md.
"""

from __future__ import annotations

import random
import time

from support import ensure_enterprises, percentile, setup_django

setup_django()

from datetime import timedelta  # noqa: E402

from django.contrib.auth.models import Group  # noqa: E402
from django.utils import timezone  # noqa: E402
from support.variants import MoreLikeThisMatch  # noqa: E402

from portal.accounts import roles  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.enterprises.demo_words import INDUSTRY_WORDS  # noqa: E402
from portal.enterprises.models import Industry, QualificationType, Region  # noqa: E402
from portal.enterprises.search_indexes import SUPPLIERS  # noqa: E402
from portal.matching.suppliers import SupplierMatch, match_suppliers, ranked  # noqa: E402
from portal.matching.terms import key_terms, notice_places  # noqa: E402
from portal.notices.models import (  # noqa: E402
    Kind,
    NoticeIndexPage,
    NoticePage,
    NoticeQualification,
)
from search import engine, indexing  # noqa: E402

NOTICES = 50
SLUG = "bench-match-"
CITIES = ["450100", "450200", "450300", "450500", "450900", "451400"]


def _procurer() -> User:
    user, created = User.objects.get_or_create(
        username="bench-procurer", defaults={"email": "bench-procurer@example.com"}
    )
    if created:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        user.groups.add(Group.objects.get(name=roles.PROCUREMENT))
    return user


def ensure_notices(user: User) -> list[NoticePage]:
    """50 demand notices written from the demo vocabulary, a third with qualification
    requirements and a fifth restricted to their region; created once per bench database."""
    existing = list(NoticePage.objects.filter(slug__startswith=SLUG).order_by("pk"))
    if len(existing) >= NOTICES:
        return existing[:NOTICES]
    rng = random.Random(7)
    index = NoticeIndexPage.objects.get(slug="notices")
    codes = sorted(INDUSTRY_WORDS)
    secrecy = QualificationType.objects.get(code="secrecy")
    gjb = QualificationType.objects.get(code="gjb9001c")
    made = existing
    for number in range(len(existing), NOTICES):
        industry = rng.choice(codes)
        _names, products, technologies, tags = INDUSTRY_WORDS[industry]
        wanted = rng.sample(products, k=min(2, len(products)))
        notice = NoticePage(
            title=f"{wanted[0]}采购需求（{number + 1}）",
            slug=f"{SLUG}{number + 1}",
            summary=f"采购{'、'.join(wanted)}，要求掌握{rng.choice(technologies)}。",
            body=[
                {
                    "type": "paragraph",
                    "value": f"<p>面向驻桂部队，{'、'.join(tags)}方向，分批交付。</p>",
                }
            ],
            kind=Kind.DEMAND,
            tier="public",
            owner=user,
            deadline=timezone.now() + timedelta(days=rng.randint(10, 90)),
            region=Region.objects.get(code=rng.choice(CITIES)),
            region_required=number % 5 == 0,
            live=False,
        )
        index.add_child(instance=notice)
        notice.industries.set(Industry.objects.filter(code=industry))
        if number % 3 == 0:
            NoticeQualification.objects.create(notice=notice, qualification_type=gjb)
        if number % 6 == 0:
            NoticeQualification.objects.create(
                notice=notice, qualification_type=secrecy, minimum_level="二级"
            )
        notice.save_revision(user=user).publish()
        made.append(NoticePage.objects.get(pk=notice.pk))
    return made


def _more_like_this(user, notice):
    """The more_like_this variant, through the same assembly and explanation."""
    return ranked(MoreLikeThisMatch(user, notice, key_terms(notice_places(notice))), user)


def service_latencies(user, notices, strategy: str) -> tuple[list[float], list[int]]:
    match = match_suppliers if strategy == "terms" else _more_like_this
    times, totals = [], []
    for notice in notices:
        started = time.perf_counter()
        page = match(user, notice)
        times.append((time.perf_counter() - started) * 1000)
        totals.append(page.total)
    return times, totals


def raw_latencies(bodies: list[dict]) -> list[float]:
    times = []
    for body in bodies:
        started = time.perf_counter()
        engine.raw_search(SUPPLIERS.alias, body)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    total = ensure_enterprises()
    if engine.count(indexing.ensure(SUPPLIERS)) < total * 0.9:
        print("  building the index …")
        indexing.rebuild(SUPPLIERS)
    user = _procurer()
    notices = ensure_notices(user)
    bodies = [
        SupplierMatch(user, n, key_terms(notice_places(n))).request().to_dict() for n in notices
    ]
    # Warm-up, untimed: every notice once each way (caches, jieba, the engine's JIT), then
    # each notice timed both ways in turn, so that both see the engine in the same state.
    service_latencies(user, notices, "terms")
    raw_latencies(bodies)
    service, totals, raw = [], [], []
    for notice, body in zip(notices, bodies, strict=True):
        times, counted = service_latencies(user, [notice], "terms")
        service += times
        totals += counted
        raw += raw_latencies([body])
    service_latencies(user, notices[:10], "mlt")
    mlt, mlt_totals = service_latencies(user, notices, "mlt")
    s50, s95 = percentile(service, 0.5), percentile(service, 0.95)
    r50, r95 = percentile(raw, 0.5), percentile(raw, 0.95)
    m50, m95 = percentile(mlt, 0.5), percentile(mlt, 0.95)
    print(f"{len(notices)} demand notices matched over {total:,} enterprises")
    print(f"  match_suppliers:      p50 {s50:6.1f} ms   p95 {s95:6.1f} ms  (target p95 ≤ 100 ms)")
    print(f"  same bodies, raw:     p50 {r50:6.1f} ms   p95 {r95:6.1f} ms")
    print(f"  ratio service / raw:  p50 {s50 / r50:.2f}x   p95 {s95 / r95:.2f}x")
    print(f"  more_like_this:       p50 {m50:6.1f} ms   p95 {m95:6.1f} ms")
    print(
        f"  candidates per notice (terms): median {sorted(totals)[len(totals) // 2]:,}, "
        f"min {min(totals):,}; (mlt) median {sorted(mlt_totals)[len(mlt_totals) // 2]:,}"
    )


if __name__ == "__main__":
    main()
