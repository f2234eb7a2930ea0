"""/api/v1/notices/: list (filters, facets), detail (redacted) and responses, via the policy.

Filters are allow-listed (``listing.NoticeFilters``); a refused one is a 400 in the API's error
shape. With ``q`` the list comes from the search service (``notice_search``), in
the same shape plus ``highlight`` per notice. A notice the caller may not see answers 404,
whether it exists or not.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from classification import policy
from portal.api.errors import error_body
from portal.api.pagination import PortalPagination

from .listing import NoticeFilters, facets, visible_notices
from .models import Kind, NoticePage
from .presentation import detail_data, summary_data
from .responses import (
    ResponseError,
    own_response,
    submit_response,
    update_response,
    vetted_enterprises,
)

LIST_PARAMS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="full-text search (Chinese-aware)"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values),
    OpenApiParameter("industry", OpenApiTypes.STR, description="industry code"),
    OpenApiParameter("region", OpenApiTypes.STR, description="GB/T 2260 region code"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["open", "closed"]),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1-100"),
]


class NoticeListView(APIView):
    """Notices the caller may see, newest first, with kind and status facet counts."""

    search_backed = True  # answers 503 while the engine is down (schema.PortalAutoSchema)

    @extend_schema(
        operation_id="notices_list", parameters=LIST_PARAMS, responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        filters = NoticeFilters.from_params(request.query_params)
        if filters.errors:
            raise exceptions.ValidationError({k: [v] for k, v in filters.errors.items()})
        if request.query_params.get("q", "").strip():
            return Response(searched_notices(request, filters))
        base = visible_notices(request.user)
        queryset = filters.apply(base, request.user).prefetch_related("industries")
        paginator = PortalPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return Response(
            {
                "count": paginator.page.paginator.count,
                "results": [summary_data(notice, request.user) for notice in page],
                "facets": facets(base, filters, request.user),
            }
        )


def searched_notices(request: Request, filters: NoticeFilters) -> dict:
    """The list answered by the search service (ranked by relevance, Chinese-aware) when a
    ``q`` is given, in the same shape as the database list. The engine's hits go through
    ``visible_notices`` once more, so a stale index can drop a hit but never show one."""
    from search import engine
    from search.api import SearchUnavailable, bad_query
    from search.queries import QueryError

    from .notice_search import notice_search

    params = request.query_params
    chosen = {
        name: [value]
        for name, value in (
            ("kind", filters.kind),
            ("industry", filters.industry),
            ("region", filters.region),
            ("status", filters.status),
        )
        if value
    }
    page_size = params.get("page_size", PortalPagination.page_size or 20)
    try:
        results = notice_search(
            request.user,
            params.get("q", ""),
            chosen,
            page=params.get("page", 1),
            page_size=page_size,
        )
    except QueryError as error:
        raise bad_query(error) from error
    except engine.EngineUnavailable as error:
        raise SearchUnavailable() from error
    if results.page > results.pages:
        raise exceptions.NotFound("That page contains no results.")
    ids = [hit.id for hit in results.hits]
    found = visible_notices(request.user).filter(pk__in=ids).prefetch_related("industries")
    by_id = {notice.pk: notice for notice in found}
    highlights = {hit.id: hit.highlight for hit in results.hits}
    rows = []
    for pk in ids:
        if pk in by_id:
            rows.append({**summary_data(by_id[pk], request.user), "highlight": highlights[pk]})
    return {
        "count": results.total,
        "results": rows,
        "facets": {
            "kind": {v.key: v.count for v in results.facets["kind"]},
            "status": {v.key: v.count for v in results.facets["status"]},
        },
    }


class NoticeDetailView(APIView):
    """One notice with the fields the caller may read; ``redacted`` names the others."""

    @extend_schema(operation_id="notices_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        notice = policy.get_visible_or_404(NoticePage.objects.live(), request.user, pk=pk)
        if notice.tier in ("vetted", "targeted"):
            from classification import audit

            audit.record(request.user, notice, "classification.notice.viewed", request)
        return Response(detail_data(notice, request.user))


class ResponseInput(serializers.Serializer):
    message = serializers.CharField(max_length=5000, trim_whitespace=True)
    enterprise = serializers.IntegerField(required=False)


#: ResponseError code -> HTTP status.
RESPONSE_STATUS = {
    "not_found": status.HTTP_404_NOT_FOUND,
    "not_vetted": status.HTTP_403_FORBIDDEN,
    "duplicate": status.HTTP_409_CONFLICT,
    "closed": status.HTTP_409_CONFLICT,
    "not_open": status.HTTP_409_CONFLICT,
}


def _response_body(response) -> dict:
    return {
        "id": response.pk,
        "notice": response.notice_id,
        "enterprise": {"id": response.enterprise_id, "name": response.enterprise.name},
        "message": response.message,
        "files": [f.name for f in response.files.all()],
        "created_at": response.created_at.isoformat(),
        "updated_at": response.updated_at.isoformat(),
    }


class NoticeResponseView(APIView):
    """POST: a vetted enterprise answers (or, a second time, edits its answer until the
    deadline with PUT); GET: the caller's own response."""

    permission_classes = [IsAuthenticated]

    def _notice(self, request: Request, pk: int) -> NoticePage:
        return policy.get_visible_or_404(NoticePage.objects.live(), request.user, pk=pk)

    @extend_schema(operation_id="notices_responses_own", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        existing = own_response(self._notice(request, pk), request.user)
        if existing is None:
            raise exceptions.NotFound("You have not responded to this notice.")
        return Response(_response_body(existing))

    @extend_schema(request=ResponseInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        notice = self._notice(request, pk)
        data = ResponseInput(data=request.data)
        data.is_valid(raise_exception=True)
        enterprises = vetted_enterprises(request.user)
        wanted = data.validated_data.get("enterprise")
        chosen = next((e for e in enterprises if wanted in (None, e.pk)), None)
        if chosen is None:
            error = ResponseError(
                "Only enterprises whose profile a reviewer approved may respond.",
                code="not_vetted",
                field="enterprise",
            )
            return self._error(error)
        try:
            response = submit_response(notice, request.user, chosen, data.validated_data["message"])
        except ResponseError as error:
            return self._error(error)
        return Response(_response_body(response), status=status.HTTP_201_CREATED)

    @extend_schema(request=ResponseInput, responses=OpenApiTypes.OBJECT)
    def put(self, request: Request, pk: int) -> Response:
        notice = self._notice(request, pk)
        existing = own_response(notice, request.user)
        if existing is None:
            raise exceptions.NotFound("You have not responded to this notice.")
        data = ResponseInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            update_response(existing, request.user, data.validated_data["message"])
        except ResponseError as error:
            return self._error(error)
        return Response(_response_body(existing))

    def _error(self, error: ResponseError) -> Response:
        code = RESPONSE_STATUS.get(error.code, status.HTTP_400_BAD_REQUEST)
        if code == status.HTTP_404_NOT_FOUND:
            raise exceptions.NotFound()
        return Response(
            error_body(error.code, error.message, {error.field: [error.message]}), status=code
        )


urlpatterns_api = [
    ("notices/", NoticeListView, "notices"),
    ("notices/<int:pk>/", NoticeDetailView, "notice"),
    ("notices/<int:pk>/responses/", NoticeResponseView, "notice_responses"),
]
