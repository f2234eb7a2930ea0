"""Counts the suite reports at its end: access-matrix cells checked and the release lifecycle's
steps and examples. Kept in a plain module so that tests add to them, and so that with parallel
test processes (pytest-xdist) each process hands its counts to the one that prints the summary
(``tests/conftest.py``)."""

from __future__ import annotations

#: How many matrix cells were checked in this process.
MATRIX_CELLS: list[int] = [0]
#: How many steps the release lifecycle state machine ran in this process, and its examples.
LIFECYCLE_STEPS: list[int] = [0, 0]


def counts() -> dict[str, int]:
    steps, examples = LIFECYCLE_STEPS
    return {"cells": MATRIX_CELLS[0], "steps": steps, "examples": examples}


def add(other: dict[str, int]) -> None:
    """Add a parallel process's ``counts()`` to this one's."""
    MATRIX_CELLS[0] += other.get("cells", 0)
    LIFECYCLE_STEPS[0] += other.get("steps", 0)
    LIFECYCLE_STEPS[1] += other.get("examples", 0)
