"""What a saved search searches for: its ``q`` and ``filters``, validated against the very
parameters the search page and its API take.

A supplier search keeps the directory's facets (``portal.enterprises.supplier_search.FACETS``:
lists of values, OR inside a facet, AND across facets) and its text rules
(``search.queries.clean_text``); a
notice search keeps the notice list's filters (``portal.notices.listing.NoticeFilters``). So a
saved search can hold nothing the search itself would refuse, and a refused value comes back as
a message per field instead of a search that silently finds something else.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from .models import Kind

#: The notice list's filter parameters (``NoticeFilters``), each a single value.
NOTICE_FILTERS = ("kind", "industry", "region", "status")
NOTICE_MAX_QUERY = 100


class CriteriaError(ValueError):
    """Parameters that cannot be saved; ``fields`` maps each parameter to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def _supplier_facets() -> dict:
    from portal.enterprises.supplier_search import FACETS

    return FACETS


def clean(kind: str, q: Any, filters: Any) -> tuple[str, dict[str, Any]]:
    """``(q, filters)`` normalised for saving, or ``CriteriaError`` saying what is wrong."""
    if kind not in Kind.values:
        raise CriteriaError({"kind": _("Choose a supplier or a notice search.")})
    if q is None:
        q = ""
    if not isinstance(q, str):
        raise CriteriaError({"q": _("The query must be text.")})
    if filters is None:
        filters = {}
    if not isinstance(filters, dict):
        raise CriteriaError({"filters": _("Filters must be an object of parameter names.")})
    if kind == Kind.SUPPLIER:
        return _clean_supplier(q.strip(), filters)
    return _clean_notice(q.strip(), filters)


def _clean_supplier(q: str, filters: dict[str, Any]) -> tuple[str, dict[str, list[str]]]:
    from search.queries import QueryError, clean_text

    errors: dict[str, str] = {}
    try:
        clean_text(q)
    except QueryError as error:
        errors["q"] = str(error)
    facets = _supplier_facets()
    cleaned: dict[str, list[str]] = {}
    for name, values in filters.items():
        if name not in facets:
            errors[str(name)] = _("Unknown filter.")
            continue
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            errors[name] = _("A filter takes a list of values.")
            continue
        values = sorted({v.strip() for v in values if v.strip()})
        if not values:
            continue
        try:
            facets[name].validate(values)
        except QueryError as error:
            errors[name] = str(error)
            continue
        cleaned[name] = values
    if errors:
        raise CriteriaError(errors)
    return q, cleaned


def _clean_notice(q: str, filters: dict[str, Any]) -> tuple[str, dict[str, str]]:
    from portal.notices.listing import NoticeFilters
    from search.queries import QueryError, clean_text

    errors: dict[str, str] = {}
    if len(q) > NOTICE_MAX_QUERY:
        errors["q"] = _("The query is too long (at most %d characters).") % NOTICE_MAX_QUERY
    else:
        try:
            clean_text(q)  # the text is replayed through the search service
        except QueryError as error:
            errors["q"] = str(error)
    params: dict[str, str] = {}
    for name, value in filters.items():
        if name not in NOTICE_FILTERS:
            errors[str(name)] = _("Unknown filter.")
        elif not isinstance(value, str):
            errors[name] = _("This filter takes one value.")
        elif value.strip():
            params[name] = value.strip()
    found = NoticeFilters.from_params(params)
    errors.update({name: str(message) for name, message in found.errors.items()})
    if errors:
        raise CriteriaError(errors)
    return q, params


def from_query(kind: str, params: QueryDict) -> tuple[str, dict[str, Any]]:
    """The search parameters of a search page's URL (paging and sorting left out), unchecked."""
    if kind == Kind.SUPPLIER:
        names = _supplier_facets()
        filters: dict[str, Any] = {n: params.getlist(n) for n in names if params.getlist(n)}
    else:
        filters = {n: params.get(n, "") for n in NOTICE_FILTERS if params.get(n, "")}
    return params.get("q", ""), filters


def query_string(kind: str, q: str, filters: dict[str, Any]) -> str:
    """The URL query of the search page that shows this search (the inverse of from_query)."""
    pairs: list[tuple[str, str]] = [("q", q)] if q else []
    for name, values in sorted(filters.items()):
        for value in values if isinstance(values, list) else [values]:
            pairs.append((name, value))
    return urlencode(pairs)


def describe(kind: str, q: str, filters: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs that say in words what the search looks for."""
    parts: list[tuple[str, str]] = []
    if q:
        parts.append((_("Keyword"), q))
    if kind == Kind.SUPPLIER:
        facets = _supplier_facets()
        titles = {
            "industry": _("Industry"),
            "region": _("Region"),
            "qualification": _("Qualification"),
            "size": _("Staff size"),
            "ownership": _("Ownership"),
        }
        for name, values in filters.items():
            labels = facets[name].labels() if name in facets else {}
            parts.append((titles.get(name, name), "、".join(labels.get(v, v) for v in values)))
        return parts
    labels = _notice_labels()
    titles = {
        "kind": _("Kind"),
        "industry": _("Industry"),
        "region": _("Region"),
        "status": _("Status"),
    }
    for name, value in filters.items():
        parts.append((titles.get(name, name), labels.get(name, {}).get(value, value)))
    return parts


def _notice_labels() -> dict[str, dict[str, str]]:
    from portal.enterprises.models import Industry, Region
    from portal.notices.models import Kind as NoticeKind

    return {
        "kind": {value: str(label) for value, label in NoticeKind.choices},
        "industry": dict(Industry.objects.values_list("code", "name")),
        "region": dict(Region.objects.values_list("code", "name")),
        "status": {"open": _("Open"), "closed": _("Closed")},
    }
