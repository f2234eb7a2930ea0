"""Demo data: one shortlist of the demo procurement officer (``seed_demo``), idempotent.

Built from what the officer may see (the release policy), like a list made by hand from the
directory: 北斗 suppliers with qualifications first, each with a note.
"""

from __future__ import annotations

from classification import policy
from portal.accounts.models import User
from portal.enterprises.models import Enterprise

from . import changes
from .models import Shortlist

NAME = "北斗导航终端候选供应商"
DESCRIPTION = "2026 年度某部北斗三号定位终端采购的候选供应商，按资质与案例初选。"
NOTES = [
    "资质齐全，有部队配套案例，建议优先考察。",
    "报价有优势，交付周期需进一步确认。",
    "技术实力较强，保密资格在有效期内。",
    "可作为备选，需补充近三年项目案例。",
    "本地企业，售后响应快。",
]


def seed(rng, stdout, options) -> None:
    officer = User.objects.filter(username="procurement").first()
    if officer is None:
        stdout.write("Shortlists: no demo procurement officer (run the accounts seeder first).")
        return
    if Shortlist.objects.filter(owner=officer, name=NAME).exists():
        stdout.write("Shortlists: demo shortlist already there.")
        return
    candidates = policy.visible(
        Enterprise.objects.filter(industries__code="D0101", qualifications__isnull=False),
        officer,
    )
    chosen = list(Enterprise.objects.filter(pk__in=candidates.values("pk")).order_by("uscc")[:5])
    shortlist = changes.create(officer, NAME, DESCRIPTION)
    for enterprise, note in zip(chosen, NOTES, strict=False):
        changes.add(officer, shortlist, enterprise, note)
    stdout.write(f"Shortlists: “{NAME}” for {officer.username} with {len(chosen)} suppliers.")
