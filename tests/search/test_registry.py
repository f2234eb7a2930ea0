"""The search service knows the indices only through its registry.

The content apps declare their indices and register them when Django starts; ``search/``
imports none of them, so the service and the apps form no import cycle, and every index name
is written once, in its declaration.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from elasticsearch_dsl import Document

from portal.enterprises.search_indexes import SUPPLIERS
from portal.notices.search_indexes import NOTICES
from portal.papers.search_indexes import PAPERS
from search import registry
from search.documents import build_index

SEARCH = Path(__file__).resolve().parents[2] / "search"
CONTENT_APPS = (
    "enterprises",
    "notices",
    "papers",
    "matching",
    "alerts",
    "shortlists",
    "statistics",
)


def _imported_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
    return found


def test_the_search_package_imports_no_content_app() -> None:
    offending = [
        f"{path.relative_to(SEARCH.parent)}: {module}"
        for path in sorted(SEARCH.rglob("*.py"))
        for module in _imported_modules(path)
        if module.split(".")[:2] in (["portal", app] for app in CONTENT_APPS)
    ]
    assert offending == []


def test_the_apps_register_their_indices_in_order() -> None:
    assert registry.indices() == [SUPPLIERS, NOTICES, PAPERS]
    assert registry.names() == ["enterprises", "notices", "papers"]
    assert [index.hit_type for index in registry.indices()] == ["enterprise", "notice", "paper"]
    assert registry.for_model(SUPPLIERS.model) is SUPPLIERS
    assert registry.get("notices") is NOTICES and registry.get(PAPERS) is PAPERS


def test_an_index_is_registered_once() -> None:
    assert registry.register(SUPPLIERS) is SUPPLIERS  # again: nothing changes
    twin = registry.SearchIndex(**{**SUPPLIERS.__dict__})
    with pytest.raises(ValueError, match="two search indices"):
        registry.register(twin)
    with pytest.raises(KeyError, match="no search index called 'nothing'"):
        registry.get("nothing")


@pytest.mark.parametrize("index", [SUPPLIERS, NOTICES, PAPERS], ids=str)
def test_every_mapping_is_strict_and_carries_the_release_fields(index) -> None:
    assert issubclass(index.document, Document)
    mappings = build_index(index, "x").to_dict()["mappings"]
    assert mappings["dynamic"] == "strict"
    assert {"tier", "grants", "timed_grants"} <= set(mappings["properties"])
    declared = set(mappings["properties"])
    for name in (*index.bigram_fields, *index.word_fields, *index.phrase_fields):
        assert name.split("^")[0] in declared, name


def test_a_hit_tells_which_index_it_came_from(settings) -> None:
    settings.SEARCH_INDEX_PREFIX = "site"
    assert registry.holding("site-notices-20261206010203") is NOTICES
    assert registry.holding("site-enterprises") is SUPPLIERS
    with pytest.raises(ValueError):
        registry.holding("other-notices")
