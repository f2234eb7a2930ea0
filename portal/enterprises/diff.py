"""Field-by-field difference between two profile snapshots, for the reviewer.

Lists (qualifications, products …) are compared item by item as sets of rows: an added row, a
removed row; a changed row shows as one removed and one added, which is how a reviewer reads a
table of certificates anyway. A changed text is cut into runs (``char_diff``) so that the page
marks what changed inside it: one sentence added to a paragraph is marked alone, not the whole
paragraph struck out and repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from diff_match_patch import diff_match_patch

from .fields import LIST_KINDS, LIST_NAMES, PROFILE_BY_NAME, PROFILE_FIELDS


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ListChange:
    name: str
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ProfileDiff:
    fields: list[FieldChange]
    lists: list[ListChange]

    def __bool__(self) -> bool:
        return bool(self.fields or self.lists)

    def changed_names(self) -> list[str]:
        return [change.name for change in self.fields] + [change.name for change in self.lists]


def _normalise(name: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    if PROFILE_BY_NAME[name].kind in LIST_KINDS:
        return sorted(value) or None
    return value


def _row_key(row: dict[str, Any]) -> tuple:
    return tuple(sorted((key, str(value)) for key, value in row.items()))


def diff_snapshots(before: dict[str, Any] | None, after: dict[str, Any]) -> ProfileDiff:
    """What ``after`` changes relative to ``before`` (None: everything is new)."""
    before = before or {}
    fields = [
        FieldChange(name, before.get(name), after.get(name))
        for name in PROFILE_FIELDS
        if _normalise(name, before.get(name)) != _normalise(name, after.get(name))
    ]
    lists = []
    for name in LIST_NAMES:
        old = {_row_key(row): row for row in before.get(name) or []}
        new = {_row_key(row): row for row in after.get(name) or []}
        added = [row for key, row in new.items() if key not in old]
        removed = [row for key, row in old.items() if key not in new]
        if added or removed:
            lists.append(ListChange(name, added=added, removed=removed))
    return ProfileDiff(fields=fields, lists=lists)


@dataclass(frozen=True)
class Run:
    """A piece of one side of a changed text; ``changed`` when the other side lacks it."""

    text: str
    changed: bool = False


#: Seconds one text comparison may take before the library settles for a coarser answer.
DIFF_TIMEOUT = 0.5


def char_diff(before: str, after: str) -> tuple[list[Run], list[Run]]:
    """The runs of ``before`` and of ``after``, the changed ones marked.

    Google's diff-match-patch compares characters (Chinese has no spaces to cut words at) and
    its semantic clean-up then merges the scattered one-character matches that a character
    diff finds between two unrelated sentences, so that a rewritten phrase reads as one
    deletion and one insertion rather than confetti.
    """
    differ = diff_match_patch()
    differ.Diff_Timeout = DIFF_TIMEOUT
    diffs = differ.diff_main(before, after)
    differ.diff_cleanupSemantic(diffs)
    old: list[Run] = []
    new: list[Run] = []
    for op, text in diffs:
        if op == differ.DIFF_EQUAL:
            old.append(Run(text))
            new.append(Run(text))
        elif op == differ.DIFF_DELETE:
            old.append(Run(text, changed=True))
        else:
            new.append(Run(text, changed=True))
    return old, new
