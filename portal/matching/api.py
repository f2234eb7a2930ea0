"""/api/v1/notices/{id}/matches/ and /api/v1/enterprises/{id}/matches/.

Both answer 404 when the caller may not see the notice or enterprise, and also when they may
see it but may not list its matches (a supplier asking for a notice's competitors, a stranger
for an enterprise's fits): the match list is an item they may not see, and 404 does not
confirm it exists. Bad paging is a 400 in the API's error shape; an unreachable engine a 503
``search_unavailable``.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from classification import policy
from portal.enterprises.models import Enterprise
from portal.notices.models import Kind, NoticePage
from search import engine
from search.api import SearchUnavailable
from search.queries import QueryError

from .notices import match_notices, may_match_notices
from .suppliers import match_suppliers, may_match_suppliers

PAGING = [
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1-100"),
]


def _bad(error: QueryError) -> exceptions.ValidationError:
    return exceptions.ValidationError({error.field: [str(error)]})


def matchable_notice(user, pk: int) -> NoticePage:
    """The demand notice ``pk`` if ``user`` may list its supplier matches, else Http404."""
    notice = policy.get_visible_or_404(NoticePage.objects.live(), user, pk=pk)
    if notice.kind != Kind.DEMAND or not may_match_suppliers(user, notice):
        raise exceptions.NotFound()
    return notice


def matchable_enterprise(user, pk: int) -> Enterprise:
    """The enterprise ``pk`` if ``user`` may list the notices fitting it, else Http404."""
    enterprise = policy.get_visible_or_404(Enterprise.objects.all(), user, pk=pk)
    if not may_match_notices(user, enterprise):
        raise exceptions.NotFound()
    return enterprise


class NoticeMatchesView(APIView):
    """Suppliers ranked for a demand notice, with why each matched."""

    search_backed = True  # answers 503 while the engine is down (schema.PortalAutoSchema)

    @extend_schema(operation_id="notices_matches", parameters=PAGING, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        notice = matchable_notice(request.user, pk)
        params = request.query_params
        try:
            page = match_suppliers(
                request.user, notice, params.get("page", 1), params.get("page_size", 20)
            )
        except QueryError as error:
            raise _bad(error) from error
        except engine.EngineUnavailable as error:
            raise SearchUnavailable() from error
        return Response(page.as_dict())


class EnterpriseMatchesView(APIView):
    """Open demand notices the enterprise qualifies for and fits, best first."""

    search_backed = True  # answers 503 while the engine is down (schema.PortalAutoSchema)

    @extend_schema(
        operation_id="enterprises_matches", parameters=PAGING, responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, pk: int) -> Response:
        enterprise = matchable_enterprise(request.user, pk)
        params = request.query_params
        try:
            page = match_notices(
                request.user, enterprise, params.get("page", 1), params.get("page_size", 20)
            )
        except QueryError as error:
            raise _bad(error) from error
        return Response(page.as_dict())
