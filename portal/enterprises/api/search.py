"""Supplier search endpoints of /api/v1/: the directory with facets, and suggestions.

Refused parameters answer 400 in the API's error shape and an unreachable engine 503
``search_unavailable``, as every search endpoint does (``search.api``).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search import engine
from search.api import SearchUnavailable, bad_query
from search.queries import QueryError

from ..supplier_search import FACETS, SupplierSearch, directory_search, suggest

_SUPPLIER_PARAMS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="free text, up to 200 characters"),
    *(OpenApiParameter(name, OpenApiTypes.STR, many=True) for name in FACETS),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(SupplierSearch.sorts)),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1-100"),
]


class SupplierSearchView(APIView):
    """The supplier directory: hits with highlights and facet counts, through the policy."""

    search_backed = True  # answers 503 while the engine is down (schema.PortalAutoSchema)

    @extend_schema(parameters=_SUPPLIER_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        params = request.query_params
        try:
            results = directory_search(request, params, params.get("page_size", 20))
        except QueryError as error:
            raise bad_query(error) from error
        except engine.EngineUnavailable as error:
            raise SearchUnavailable() from error
        return Response(
            {
                **results.as_dict(),
                "partial": [hit.present() for hit in results.partial],
                "understood": results.understood,
                "relaxed": [
                    {"facet": name, "count": count} for name, count in results.relaxed.items()
                ],
                "did_you_mean": results.did_you_mean,
            }
        )


class SuggestView(APIView):
    """Up to ten suggestions (names, products, technologies) the user may see."""

    search_backed = True  # answers 503 while the engine is down (schema.PortalAutoSchema)

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR)], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        try:
            found = suggest(request.user, request.query_params.get("q", ""))
        except QueryError as error:
            raise bad_query(error) from error
        except engine.EngineUnavailable as error:
            raise SearchUnavailable() from error
        return Response({"results": found})
