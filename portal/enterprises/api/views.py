"""``/api/v1/enterprises/``: the supplier directory for programs, under the release policy.

List and detail start from ``policy.visible`` (an invisible profile is a 404, never a 403)
and send each profile through ``redaction.redact``, so a program sees exactly what the pages
show the same user. Owners PATCH their working copy through ``workflow.save_draft``: the live
profile changes only when a reviewer approves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from classification import policy
from classification.redaction import redact
from portal.api.pagination import PortalPagination

from .. import workflow
from ..fields import LIST_NAMES
from ..models import Enterprise, Region, Status
from ..presentation import attach_document_links, draft_profile_data, profile_data
from ..uscc import validate_uscc
from .serializers import (
    EnterpriseOutputSerializer,
    EnterprisePatchSerializer,
    WorkingCopySerializer,
)

#: The lists ``profile_data`` reads through ``.all()``: one query per list per page, not per row.


class UnderReview(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "under_review"
    default_detail = "This profile is under review; it can be edited after the decision."


class LinkedPagination(PortalPagination):
    """The portal's pagination plus ``next``/``previous`` links, for programs that page on."""

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer"},
                "next": link,
                "previous": link,
                "results": schema,
            },
        }


def enterprise_dict(enterprise: Enterprise, user) -> dict[str, Any]:
    """One profile as ``user`` may read it: the presentation dict, redacted, plus API keys."""
    data = redact(enterprise, user, profile_data(enterprise))
    attach_document_links(data)
    data.pop("qualification_documents", None)
    data.pop("pk", None)
    # Amounts as the schema's decimal strings ("1000.00"): JSON numbers would be floats.
    data = {key: str(value) if isinstance(value, Decimal) else value for key, value in data.items()}
    return {
        "id": enterprise.pk,
        "url": reverse("api:enterprises:detail", args=[enterprise.pk]),
        "status": enterprise.status,
        "tier": enterprise.tier,
        "updated_at": enterprise.updated_at,
        **data,
    }


def _valid_uscc(value: str) -> str:
    try:
        return validate_uscc(value)
    except ValidationError as error:
        raise exceptions.ValidationError({"uscc": error.messages}) from error


def _region_filter(code: str) -> dict[str, Any]:
    """A city's code selects the city and its counties; the region's code all of Guangxi."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise exceptions.ValidationError({"region": ["Unknown region code."]})
    if region.level == Region.Level.PROVINCE:
        return {"region__code__startswith": code[:2]}
    if region.level == Region.Level.CITY:
        return {"region__code__startswith": code[:4]}
    return {"region": code}


_LIST_PARAMETERS = [
    OpenApiParameter("uscc", OpenApiTypes.STR, description="unified social credit code"),
    OpenApiParameter(
        "region", OpenApiTypes.STR, description="GB/T 2260 code; a city includes its counties"
    ),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=list(Status.values),
        description="only staff see profiles that are not approved",
    ),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1-100"),
]


@extend_schema_view(
    get=extend_schema(
        summary="List enterprises",
        parameters=_LIST_PARAMETERS,
        responses=EnterpriseOutputSerializer(many=True),
    )
)
class EnterpriseListView(GenericAPIView):
    pagination_class = LinkedPagination
    serializer_class = EnterpriseOutputSerializer

    def get_queryset(self) -> QuerySet[Enterprise]:
        params = self.request.query_params
        queryset = policy.visible(Enterprise.objects.all(), self.request.user)
        if params.get("uscc"):
            queryset = queryset.filter(uscc=_valid_uscc(params["uscc"]))
        if params.get("region"):
            queryset = queryset.filter(**_region_filter(params["region"].strip()))
        if params.get("status"):
            if params["status"] not in Status.values:
                raise exceptions.ValidationError(
                    {"status": [f"Must be one of: {', '.join(Status.values)}."]}
                )
            queryset = queryset.filter(status=params["status"])
        return (
            queryset.select_related("region", "region__parent")
            .prefetch_related(*LIST_NAMES)
            .order_by("name", "pk")
        )

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([enterprise_dict(e, request.user) for e in page])


class EnterpriseDetailView(GenericAPIView):
    serializer_class = EnterpriseOutputSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_object(self) -> Enterprise:
        return policy.get_visible_or_404(
            Enterprise.objects.select_related("region"), self.request.user, pk=self.kwargs["pk"]
        )

    @extend_schema(summary="One enterprise", responses=EnterpriseOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(enterprise_dict(self.get_object(), request.user))

    @extend_schema(
        summary="Edit your profile's working copy",
        description=(
            "Owners only. Changes go to the working copy (draft); the live profile changes "
            "when a reviewer approves the submitted version."
        ),
        request=EnterprisePatchSerializer,
        responses=WorkingCopySerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        enterprise = self.get_object()
        if not workflow.is_owner(request.user, enterprise):
            raise PermissionDenied
        serializer = EnterprisePatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            version = workflow.save_draft(request.user, enterprise, serializer.snapshot_changes())
        except workflow.WorkflowError as error:
            raise UnderReview(" ".join(error.messages)) from error
        return Response(
            {
                "id": enterprise.pk,
                "version": version.number,
                "state": version.state,
                "profile": draft_profile_data(enterprise, version.data),
            }
        )
