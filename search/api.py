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

from . import engine
from .documents import DOCUMENTS
from .facets import FACETS
from .presentation import results_dict
from .queries import QueryError, suggest, supplier_search


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


#: ``type`` parameter of site search -> logical index.
SITE_TYPES = {"enterprise": "enterprises"}


class SiteSearchView(APIView):
    """Search across content types; each type through the same policy filter."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR),
            OpenApiParameter("type", OpenApiTypes.STR, enum=sorted(SITE_TYPES)),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("type", "enterprise")
        if kind not in SITE_TYPES or SITE_TYPES[kind] not in DOCUMENTS:
            raise exceptions.ValidationError({"type": ["Unknown content type."]})
        try:
            results = supplier_search(
                request.user,
                request.query_params.get("q", ""),
                page=request.query_params.get("page", 1),
                page_size=request.query_params.get("page_size", 20),
            )
        except QueryError as error:
            raise _bad_query(error) from error
        except engine.EngineUnavailable as error:
            raise SearchUnavailable() from error
        body = results_dict(results)
        body.pop("facets")
        for item in body["results"]:
            item["type"] = kind
        return Response(body)
