"""Search pages: the supplier directory with facets and the site search (``site``).

Both keep their whole state in the URL (so a result page can be bookmarked and shared), go
through ``search.queries`` (and so through the release policy), show a clear message for a
refused query, and answer 503 with an explanation when the engine is down.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from portal.statistics.recording import record_search

from . import engine
from .facets import FACETS
from .presentation import results_dict
from .queries import QueryError, supplier_search
from .site_presentation import site_results_dict
from .site_queries import SITE_TYPES, site_search

FACET_TITLES = {
    "industry": "Industry",
    "region": "Region",
    "qualification": "Qualification",
    "size": "Staff size",
    "ownership": "Ownership",
}


def _toggle_url(params: QueryDict, name: str, value: str) -> str:
    """The query string with ``name=value`` switched on or off, back to page 1."""
    updated = params.copy()
    values = updated.getlist(name)
    updated.setlist(
        name, [v for v in values if v != value] if value in values else [*values, value]
    )
    updated.pop("page", None)
    return "?" + updated.urlencode()


def _page_url(params: QueryDict, page: int) -> str:
    updated = params.copy()
    updated["page"] = str(page)
    return "?" + updated.urlencode()


def suppliers(request: HttpRequest) -> HttpResponse:
    params = request.GET
    context: dict = {"q": params.get("q", ""), "sort": params.get("sort", "relevance")}
    try:
        results = supplier_search(
            request.user,
            params.get("q", ""),
            {name: params.getlist(name) for name in FACETS},
            sort=params.get("sort", "relevance"),
            page=params.get("page", 1),
            page_size=20,
        )
    except QueryError as error:
        context["error"] = str(error)
        return render(request, "search/suppliers.html", context, status=400)
    except engine.EngineUnavailable:
        return render(request, "search/unavailable.html", context, status=503)
    record_search(params.get("q", ""), results.total, params.get("page", 1))
    body = results_dict(results)
    for name, values in body["facets"].items():
        for value in values:
            value["url"] = _toggle_url(params, name, value["key"])
    context.update(
        results=body,
        facet_groups=[
            (name, FACET_TITLES[name], body["facets"][name])
            for name in FACETS
            if body["facets"][name]
        ],
        previous_url=_page_url(params, results.page - 1) if results.page > 1 else "",
        next_url=_page_url(params, results.page + 1) if results.page < results.pages else "",
        selected=[(n, v) for n in FACETS for v in params.getlist(n)],
    )
    return render(request, "search/suppliers.html", context)


#: Tabs of the site search, in order; msgids that the catalogue already translates.
SITE_TABS = [("", "All"), ("enterprise", "enterprise"), ("notice", "notice"), ("paper", "paper")]


def site(request: HttpRequest) -> HttpResponse:
    """/search/: enterprises, notices and papers in one ranked list, with a tab per type
    (each tab's count covers only what the visitor may see)."""
    params = request.GET
    kind = params.get("type", "")
    context: dict = {"q": params.get("q", ""), "type": kind}
    try:
        results = site_search(
            request.user,
            params.get("q", ""),
            [kind] if kind else [],
            page=params.get("page", 1),
            page_size=20,
        )
    except QueryError as error:
        context["error"] = str(error)
        return render(request, "search/site.html", context, status=400)
    except engine.EngineUnavailable:
        return render(request, "search/unavailable.html", context, status=503)
    body = site_results_dict(results)
    counts = {value["key"]: value["count"] for value in body["facets"]["type"]}
    tabs = []
    for key, label in SITE_TABS:
        tab = params.copy()
        tab.pop("page", None)
        if key:
            tab["type"] = key
        else:
            tab.pop("type", None)
        count = counts[key] if key else sum(counts.values())
        tabs.append({"key": key, "label": label, "count": count, "url": "?" + tab.urlencode()})
    context.update(
        results=body,
        tabs=tabs,
        type_labels=dict(SITE_TABS),
        previous_url=_page_url(params, results.page - 1) if results.page > 1 else "",
        next_url=_page_url(params, results.page + 1) if results.page < results.pages else "",
        known_types=sorted(SITE_TYPES),
    )
    return render(request, "search/site.html", context)
