"""No module outside ``classification/`` decides visibility itself (``docs/release.md``).

Scans the portal's and search's Python source for the shapes a home-made visibility rule takes:
filters on the ``tier`` field, or on the ``released`` status of a classifiable model (an
enterprise's ``status=Status.APPROVED``), in querysets. Models' own declarations
(``Classification(released=lambda: Q(...))``) and migrations are not visibility decisions and
are left out; a real exception is listed in ``ALLOWED`` with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [ROOT / "portal", ROOT / "search"]

PATTERNS = [
    re.compile(r"\btier__(in|lte|lt|gte|gt|exact)\b"),
    re.compile(r"\.(filter|exclude|get)\([^)]*\btier\s*="),
    re.compile(r"\bQ\([^)]*\btier\s*="),
    re.compile(r"\.(filter|exclude|get)\([^)]*\bstatus\s*=\s*(Status\.APPROVED|\"approved\")"),
    re.compile(r"\bQ\(\s*status\s*=\s*(Status\.APPROVED|\"approved\")"),
]

#: (path relative to ROOT, a snippet of the line) -> why that one line may. Each entry must
#: still match a line (no stale exemptions). Reviewed with the lead; prefer fixing the caller.
ALLOWED: dict[tuple[str, str], str] = {
    (
        "portal/enterprises/exporting.py",
        "queryset.filter(status=Status.APPROVED)",
    ): "reviewers' export (staff only) choosing workflow states, not readers",
    (
        "portal/papers/demo_figures.py",
        "approved = Enterprise.objects.filter(status=Status.APPROVED)",
    ): "aggregate counts for demo figures; no item is shown",
}


def _declaration_line(line: str) -> bool:
    return "released=lambda" in line.replace(" ", "")


def offending_lines() -> list[str]:
    found = []
    for base in SCANNED:
        for path in sorted(base.rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.lstrip().startswith("#") or _declaration_line(line):
                    continue
                if any(p == relative and snippet in line for p, snippet in ALLOWED):
                    continue
                if any(pattern.search(line) for pattern in PATTERNS):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_visibility_rule_outside_classification() -> None:
    assert offending_lines() == [], (
        "Visibility decided outside classification/ — use classification.policy.visible()"
    )


def test_the_guard_catches_what_it_is_for(tmp_path) -> None:
    samples = [
        'Enterprise.objects.filter(tier__in=["public"])',
        "qs.filter(status=Status.APPROVED, region=r)",
        'Q(tier="public") | Q(pk=1)',
    ]
    for sample in samples:
        assert any(p.search(sample) for p in PATTERNS), sample
    declaration = "        released=lambda: Q(status=Status.APPROVED),"
    assert _declaration_line(declaration)


def test_allowed_entries_are_not_stale() -> None:
    for relative, snippet in ALLOWED:
        path = ROOT / relative
        assert path.exists() and snippet in path.read_text(encoding="utf-8"), relative
