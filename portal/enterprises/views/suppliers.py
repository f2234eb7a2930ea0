"""The supplier directory page (/suppliers/): full-text search with facets.

Its whole state is in the URL (a result page can be bookmarked and shared); it goes through
``supplier_search`` (and so through the release policy), shows a clear message for a refused
query and answers 503 with an explanation when the engine is down.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext

from search import engine
from search.faceted import Results
from search.queries import QueryError
from search.views import page_url, toggle_url

from ..supplier_search import FACET_TITLES, FACETS, directory_search


def _q_without(q: str, words: str) -> str:
    return " ".join(q.replace(words, " ", 1).split())


def without_words(params: QueryDict, words: str) -> str:
    """The query string with ``words`` taken out of ``q``: a chip's ✕ drops its filter."""
    updated = params.copy()
    updated["q"] = _q_without(updated.get("q", ""), words)
    updated.pop("page", None)
    return "?" + updated.urlencode()


def _relaxed(params: QueryDict, results: Results, body: dict) -> list[dict]:
    """For an empty result: each chosen condition with the count and the link without it."""
    offers = []
    for name, count in results.relaxed.items():
        if not count:
            continue
        labels = [value["label"] for value in body["facets"][name] if value["selected"]]
        updated = params.copy()
        updated.pop(name, None)
        updated.pop("page", None)
        for found in results.understood:
            if found["facet"] == name:
                updated["q"] = _q_without(updated.get("q", ""), found["text"])
        offers.append(
            {
                "title": gettext(FACET_TITLES[name]),
                "labels": "、".join(labels),
                "count": count,
                "url": "?" + updated.urlencode(),
            }
        )
    return offers


def _meant(params: QueryDict, results: Results) -> dict | None:
    """The did-you-mean link: the suggestion, with the words read as filters kept."""
    if not results.did_you_mean:
        return None
    updated = params.copy()
    updated["q"] = " ".join([results.did_you_mean, *(u["text"] for u in results.understood)])
    updated.pop("page", None)
    return {"text": results.did_you_mean, "url": "?" + updated.urlencode()}


def _chips(params, understood: list[dict[str, str]]) -> list[dict[str, str]]:
    """One removable chip per phrase understood: a phrase that means several values of a facet
    (100人以上: three staff-size bands) lists them in one chip."""
    chips: dict[tuple[str, str], dict[str, str]] = {}
    for found in understood:
        key = (found["facet"], found["text"])
        if key in chips:
            chips[key]["label"] += "、" + found["label"]
            continue
        chips[key] = {
            **found,
            "facet_title": FACET_TITLES[found["facet"]],
            "url": without_words(params, found["text"]),
        }
    return list(chips.values())


def suppliers(request: HttpRequest) -> HttpResponse:
    params = request.GET
    context: dict = {"q": params.get("q", ""), "sort": params.get("sort", "relevance")}
    try:
        results = directory_search(request, params, page_size=20)
    except QueryError as error:
        context["error"] = str(error)
        return render(request, "enterprises/suppliers.html", context, status=400)
    except engine.EngineUnavailable:
        return render(request, "search/unavailable.html", context, status=503)
    body = {**results.as_dict(), "partial": [hit.present() for hit in results.partial]}
    for name, values in body["facets"].items():
        for value in values:
            value["url"] = toggle_url(params, name, value["key"])
            value["count_display"] = f"{value['count']:,}"  # estimates read "约 320,000"
    context.update(
        results=body,
        facet_groups=[
            (name, FACET_TITLES[name], body["facets"][name])
            for name in FACETS
            if body["facets"][name]
        ],
        previous_url=page_url(params, results.page - 1) if results.page > 1 else "",
        next_url=page_url(params, results.page + 1) if results.page < results.pages else "",
        selected=[(n, v) for n in FACETS for v in params.getlist(n)],
        understood=_chips(params, results.understood),
        relaxed=_relaxed(params, results, body) if not results.total else [],
        did_you_mean=_meant(params, results),
    )
    return render(request, "enterprises/suppliers.html", context)
