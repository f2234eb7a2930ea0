"""Demo saved searches for the demo accounts (``seed_demo``): idempotent, checked by
``criteria.clean`` like any saved search, so the demo never holds a search the site refuses."""

from __future__ import annotations

from portal.accounts.models import User

from .criteria import clean
from .models import Frequency, Kind, SavedSearch

#: (username, kind, name, q, filters, frequency)
DEMO_SEARCHES = [
    ("enterprise", Kind.NOTICE, "北斗导航相关需求", "北斗", {"kind": "demand"}, Frequency.DAILY),
    (
        "enterprise",
        Kind.NOTICE,
        "新材料技术转移",
        "",
        {"kind": "transfer", "industry": "D04"},
        Frequency.WEEKLY,
    ),
    (
        "procurement",
        Kind.SUPPLIER,
        "具备 GJB 9001C 的北斗企业",
        "北斗",
        {"qualification": ["gjb9001c"]},
        Frequency.IMMEDIATELY,
    ),
    (
        "procurement",
        Kind.SUPPLIER,
        "南宁智能装备制造企业",
        "",
        {"industry": ["D02"], "region": ["450100"]},
        Frequency.WEEKLY,
    ),
]


def seed(rng, stdout, options) -> int:
    created = 0
    for username, kind, name, q, filters, frequency in DEMO_SEARCHES:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        q, filters = clean(kind, q, filters)
        _saved, made = SavedSearch.objects.get_or_create(
            user=user,
            name=name,
            defaults={"kind": kind, "q": q, "filters": filters, "frequency": frequency},
        )
        created += made
    stdout.write(f"Alerts: {created} saved searches created.")
    return created
