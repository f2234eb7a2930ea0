"""How the packages depend on each other: no module reaches into another module's private names.

A name with a leading underscore is its module's own business; another module that imports or
calls it breaks when the owner changes it, without the owner knowing. Tests and benchmarks may
(they check internals on purpose); the portal's own code may not.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("classification", "portal", "search")
#: Django's and Python's own underscore names that are public API by convention.
PUBLIC_BY_CONVENTION = {"_meta", "_default_manager", "_base_manager", "_state", "_name"}


def _sources() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in PUBLIC_BY_CONVENTION


def _reaches(path: Path) -> list[str]:
    """Private names ``path`` imports from, or reads on, a module of this project."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()  # local names bound to project modules
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            ours = node.level or (node.module or "").split(".")[0] in PACKAGES
            for alias in node.names:
                if ours and _private(alias.name):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {alias.name}")
                elif ours:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
            and node.value.id[:1].islower()  # a module, not a class of it
        ):
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            found.append(f"{where} reads {node.value.id}.{node.attr}")
    return found


def test_no_module_reaches_into_another_modules_private_names() -> None:
    reaching = [line for path in _sources() for line in _reaches(path)]
    assert reaching == []
