"""``/api/v1/shortlists/``: a user's shortlists for programs, under the same rules as the pages.

Lists and details start from ``access`` (unknown or not shared: 404) and take their suppliers
from ``suppliers`` (release policy and redaction for the caller), so a program reads exactly
what the page shows the same user. Adding a supplier goes through ``changes.add`` like the
"加入候选名单" form; errors come in the API's one error shape.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from classification import policy
from portal.api.pagination import PortalPagination
from portal.enterprises.models import Enterprise

from . import access, changes
from .models import Shortlist
from .suppliers import SupplierRow, suppliers


def shortlist_dict(shortlist: Shortlist, user, count: int | None = None) -> dict[str, Any]:
    rights = access.access_for(user, shortlist)
    data = {
        "id": shortlist.pk,
        "name": shortlist.name,
        "description": shortlist.description,
        "owner": shortlist.owner.get_username(),
        "created": shortlist.created,
        "updated": shortlist.updated,
        "access": {"edit": bool(rights and rights.edit), "manage": bool(rights and rights.manage)},
    }
    if count is not None:
        data["count"] = count
    return data


def row_dict(row: SupplierRow) -> dict[str, Any]:
    enterprise = {"id": row.entry.enterprise_id, **row.data}
    return {
        "id": row.entry.pk,
        "enterprise": enterprise,
        "note": row.note,
        "added_at": row.entry.added_at,
    }


class ShortlistListView(APIView):
    """The caller's shortlists and those shared with their groups, most recently changed first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="shortlists_list", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        paginator = PortalPagination()
        queryset = access.visible(request.user).select_related("owner").order_by("-updated", "-pk")
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(
            [shortlist_dict(shortlist, request.user) for shortlist in page]
        )


class ShortlistDetailView(APIView):
    """One shortlist with its suppliers as the caller may read them; ``omitted`` counts those
    the caller may not see (never named)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="shortlists_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        shortlist, _rights = access.get_or_404(request.user, pk)
        found = suppliers(request.user, shortlist)
        data = shortlist_dict(shortlist, request.user, count=len(found.rows))
        data["omitted"] = found.omitted
        data["suppliers"] = [row_dict(row) for row in found.rows]
        return Response(data)


class EntryInput(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ShortlistEntriesView(APIView):
    """Put a supplier on a shortlist the caller may edit (owner or co-editor)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="shortlists_entries_create",
        request=EntryInput,
        responses={201: inline_serializer("ShortlistEntry", {"id": serializers.IntegerField()})},
    )
    def post(self, request: Request, pk: int) -> Response:
        shortlist, _rights = access.get_or_404(request.user, pk, need="edit")
        payload = EntryInput(data=request.data)
        payload.is_valid(raise_exception=True)
        enterprise = policy.get_visible_or_404(
            Enterprise.objects.all(), request.user, pk=payload.validated_data["enterprise"]
        )
        try:
            entry = changes.add(request.user, shortlist, enterprise, payload.validated_data["note"])
        except changes.ShortlistError as error:
            raise exceptions.ValidationError({"enterprise": [str(error)]}) from error
        return Response(
            {"id": entry.pk, "enterprise": enterprise.pk, "note": entry.note},
            status=status.HTTP_201_CREATED,
        )
