"""The site search page (/search/), and the URL helpers every search page shares.

Search pages keep their whole state in the URL (so a result page can be bookmarked and
shared), go through ``search.faceted`` (and so through the release policy), show a clear
message for a refused query, and answer 503 with an explanation when the engine is down.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from . import engine, registry
from .queries import QueryError
from .site import site_results_dict, site_search


def toggle_url(params: QueryDict, name: str, value: str) -> str:
    """The query string with ``name=value`` switched on or off, back to page 1."""
    updated = params.copy()
    values = updated.getlist(name)
    updated.setlist(
        name, [v for v in values if v != value] if value in values else [*values, value]
    )
    updated.pop("page", None)
    return "?" + updated.urlencode()


def page_url(params: QueryDict, page: int) -> str:
    updated = params.copy()
    updated["page"] = str(page)
    return "?" + updated.urlencode()


def site_tabs() -> list[tuple[str, str]]:
    """Tabs of the site search, in order: all, then each index's hit type (msgids that the
    catalogue translates)."""
    return [("", "All"), *((index.hit_type, index.hit_type) for index in registry.indices())]


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
    for key, label in site_tabs():
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
        type_labels=dict(site_tabs()),
        previous_url=page_url(params, results.page - 1) if results.page > 1 else "",
        next_url=page_url(params, results.page + 1) if results.page < results.pages else "",
        known_types=sorted(index.hit_type for index in registry.indices()),
    )
    return render(request, "search/site.html", context)
