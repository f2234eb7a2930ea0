"""Search endpoints of /api/v1/: suppliers (with facets), suggestions, site search.

Parameters go through ``search.queries`` validation; a refused parameter answers 400 in the
API's error shape, an unreachable engine answers 503 ``search_unavailable``. Nothing a client
sends reaches the engine as query syntax.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.statistics.recording import record_search

from . import engine
from .facets import FACETS
from .presentation import results_dict
from .queries import QueryError, suggest, supplier_search
from .site_presentation import site_results_dict
from .site_queries import SITE_TYPES, site_search


class SearchUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "search_unavailable"
    default_detail = "Search is temporarily unavailable; please try again in a few minutes."


def _bad_query(error: QueryError) -> exceptions.ValidationError:
    return exceptions.ValidationError({error.field: [str(error)]})


def _filters(request: Request) -> dict[str, list[str]]:
    return {name: request.query_params.getlist(name) for name in FACETS}


_SUPPLIER_PARAMS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="free text, up to 200 characters"),
    *(OpenApiParameter(name, OpenApiTypes.STR, many=True) for name in FACETS),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=["relevance", "updated"]),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1-100"),
]


class SupplierSearchView(APIView):
    """The supplier directory: hits with highlights and facet counts, through the policy."""

    @extend_schema(parameters=_SUPPLIER_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        params = request.query_params
        try:
            results = supplier_search(
                request.user,
                params.get("q", ""),
                _filters(request),
                sort=params.get("sort", "relevance"),
                page=params.get("page", 1),
                page_size=params.get("page_size", 20),
            )
        except QueryError as error:
            raise _bad_query(error) from error
        except engine.EngineUnavailable as error:
            raise SearchUnavailable() from error
        record_search(params.get("q", ""), results.total, params.get("page", 1))
        return Response(results_dict(results))


class SuggestView(APIView):
    """Up to ten suggestions (names, products, technologies) the user may see."""

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR)], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        try:
            found = suggest(request.user, request.query_params.get("q", ""))
        except QueryError as error:
            raise _bad_query(error) from error
        except engine.EngineUnavailable as error:
            raise SearchUnavailable() from error
        return Response({"results": found})


class SiteSearchView(APIView):
    """Search across enterprises, notices and papers (``type`` narrows, none = all); every
    type through the same policy filter, with a count per type."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR),
            OpenApiParameter("type", OpenApiTypes.STR, enum=sorted(SITE_TYPES), many=True),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1-100"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        try:
            results = site_search(
                request.user,
                params.get("q", ""),
                params.getlist("type"),
                page=params.get("page", 1),
                page_size=params.get("page_size", 20),
            )
        except QueryError as error:
            raise _bad_query(error) from error
        except engine.EngineUnavailable as error:
            raise SearchUnavailable() from error
        return Response(site_results_dict(results))
