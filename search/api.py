"""The site search endpoint of /api/v1/, and the API's answers for search failures.

Parameters go through ``search.queries`` validation; a refused parameter answers 400 in the
API's error shape (``bad_query``), an unreachable engine answers 503 ``search_unavailable``.
Nothing a client sends reaches the engine as query syntax. The apps' own search endpoints
(suppliers, notices, matching) answer failures the same way with these two.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import engine, registry
from .queries import QueryError
from .site import site_results_dict, site_search


class SearchUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "search_unavailable"
    default_detail = "Search is temporarily unavailable; please try again in a few minutes."


def bad_query(error: QueryError) -> exceptions.ValidationError:
    """A refused search parameter as the API's 400 (the parameter and its message)."""
    return exceptions.ValidationError({error.field: [str(error)]})


class SiteSearchView(APIView):
    """Search across every registered index (``type`` narrows, none = all); every type
    through the same policy filter, with a count per type."""

    search_backed = True  # answers 503 while the engine is down (schema.PortalAutoSchema)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR),
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                enum=sorted(index.hit_type for index in registry.indices()),
                many=True,
            ),
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
            raise bad_query(error) from error
        except engine.EngineUnavailable as error:
            raise SearchUnavailable() from error
        return Response(site_results_dict(results))
