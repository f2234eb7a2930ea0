"""The repository stands alone: no tracked file cites documents kept outside it, nor the
tracker's items by number or name.

Such a citation points a reader at text they may not have (a product brief, a style guide, a
seed file beside the checkout) or at a ticket that says what someone once wanted, not what
the code does. What the code relies on is stated in ``docs/`` instead (``release.md``,
``roles.md``, ``data.md``). The check runs ``git grep`` over the tracked files, so it needs
git and a git checkout (CI clones the repository); without them it fails, saying so.

The patterns are assembled from pieces so that this file does not match them itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Names the tracker gave its items, written as ``[name]``.
_TAGS = "|".join(
    [
        "architecture",
        "classification",
        "cms",
        "desk",
        "hardening",
        "matching",
        "registry",
        "release-integrity",
        "scale",
        "search",
        "search-precision",
        "sharing",
    ]
)

#: (what it catches, POSIX extended regex, matched case-insensitively).
PATTERNS: list[tuple[str, str]] = [
    ("the product brief", "PRODUCT" + r"\.md"),
    ("the style guide", "STYLE" + r"\.md"),
    ("the shared folder beside the checkout", r"\.\./" + "shared"),
    ("the seed folder", "shared/" + "seed"),
    ("the seed document", "the seed" + "('s| plan)"),
    ("an item by number", "(^|[^a-z_])issues?" + " #?[0-9]"),
    ("an item number after a word", "(issue|pr|pull request|see|fixes|closes) " + "#[0-9]"),
    ("an item by name", r"\[[a-z][a-z-]*\]" + " issues?([^a-z]|$)"),
    # In a POSIX bracket expression "]" comes first to be literal, and "\\" is no escape.
    ("an item's tag", "(^|[^]a-z0-9_)'" + '"])' + r"\[(" + _TAGS + r")\]"),
    ("an item's acceptance list", "done" + ".when"),
    (
        "an item in prose",
        "(^|[^a-z])(the|this|that|their|its|later|earlier|previous|next) "
        + "issues?('s)?([^a-z_ ]|$| [^d])",
    ),
]

#: Third-party files, kept as their authors wrote them.
EXCLUDED = [":(exclude)static/vendor"]


def _git(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    git = shutil.which("git")
    if git is None:
        pytest.fail("git is not installed: this check reads the tracked files through git grep.")
    return subprocess.run(
        [git, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def _grep(pattern: str, *paths: str, cwd: Path = ROOT, no_index: bool = False) -> list[str]:
    """Lines matching ``pattern`` (``file:line:text``); fails on any git error."""
    options = ["--no-index"] if no_index else []
    result = _git("grep", *options, "-n", "-I", "-i", "-E", "-e", pattern, "--", *paths, cwd=cwd)
    if result.returncode not in (0, 1):
        pytest.fail(f"git grep failed for {pattern!r} (exit {result.returncode}): {result.stderr}")
    return result.stdout.splitlines()


def test_the_checkout_is_a_git_work_tree() -> None:
    """Without a work tree git grep would search nothing and the check below would pass."""
    result = _git("rev-parse", "--show-toplevel")
    assert result.returncode == 0, (
        f"{ROOT} is not a git checkout ({result.stderr.strip()}); run the suite from a clone."
    )
    assert Path(result.stdout.strip()).resolve() == ROOT


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("see PROD" + "UCT.md, section 2", True),
        ("STY" + "LE.md warns about it", True),
        ("read ../sh" + "ared/notes", True),
        ("the se" + "ed's directions", True),
        ("Targets (iss" + "ue 6)", True),
        ("Iss" + "ue 7, " + '"Do' + 'ne when" 2', True),
        ("iss" + "ues 4 and 5", True),
        ("fixed in iss" + "ue #13", True),
        ("see #" + "13", True),
        ("the [sea" + "rch] iss" + "ue", True),
        ("import/export ([regis" + "try])", True),
        ("the [classifi" + "cation], [c" + "ms] and [mat" + "ching] ones", True),
        ("Do" + "ne-when 1", True),
        ("as their iss" + "ues land", True),
        ("The iss" + "ue's name for it", True),
        ("what the iss" + "ue allows", True),
        ("issue_date = models.DateField()", False),
        ("the issue date of a paper", False),
        ("Issue new addresses if one leaked", False),
        ('{% include "wagtailadmin/shared/header.html" %}', False),
        ("url_ids([pk])", False),
        ("params[search]", False),
        ("they may have issues", False),
        ("random.Random(seed)", False),
        ("color: #333", False),
    ],
)
def test_the_patterns_catch_citations_and_spare_ordinary_text(
    tmp_path: Path, text: str, caught: bool
) -> None:
    """The patterns, run by git grep itself, catch each citation form and nothing ordinary."""
    sample = tmp_path / "sample.txt"
    sample.write_text(text + "\n", encoding="utf-8")
    hits = [
        name
        for name, pattern in PATTERNS
        if _grep(pattern, "sample.txt", cwd=tmp_path, no_index=True)
    ]
    assert bool(hits) is caught, f"{text!r}: matched by {hits}"


def test_no_file_cites_outside_documents_or_tracker_items() -> None:
    found: list[str] = []
    for name, pattern in PATTERNS:
        found += [f"{line}    <- {name}" for line in _grep(pattern, ".", *EXCLUDED)]
    assert not found, (
        "Cite docs/ or state the fact instead of outside documents and tracker items:\n"
        + "\n".join(sorted(set(found)))
    )
