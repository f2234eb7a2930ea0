"""The "匹配供应商" page of a demand notice.

Visibility is the API's (``api.matchable_notice``): 404 for a notice the reader may not see or
whose supplier matches they may not list. The engine's refusal of bad paging is a 400 page with
the reason; an engine outage the search service's 503 page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.exceptions import NotFound

from search import engine
from search.queries import QueryError

from .api import matchable_notice
from .suppliers import match_suppliers

PAGE_SIZE = 20


def notice_matches(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notice = matchable_notice(request.user, pk)
    except NotFound as error:
        raise Http404("No such notice.") from error
    context: dict = {"notice": notice}
    try:
        page = match_suppliers(request.user, notice, request.GET.get("page", 1), PAGE_SIZE)
    except QueryError as error:
        context["error"] = str(error)
        return render(request, "matching/notice_matches.html", context, status=400)
    except engine.EngineUnavailable:
        return render(request, "search/unavailable.html", context, status=503)
    context.update(page=page, matches=page.results, start=(page.page - 1) * page.page_size)
    return render(request, "matching/notice_matches.html", context)
