"""``/api/v1/release/<app>/<model>/<id>/``: an item's release settings for classification
officers' programs — the same writer (``changes``) as the officers' release page.

``GET`` reads the tier, the field tiers (declared default, own override, effective tier) and the
grants; ``PUT`` sets the tier and the per-item field tiers; ``POST …/grants/`` grants,
``DELETE …/grants/<u:id|g:id>/`` withdraws a grant. Anyone who is not a classification officer
gets 404 for every item (never 403), as elsewhere; bad input gets the API's one error shape.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import changes, policy
from .forms import PRINCIPAL_KINDS, find_principal
from .tiers import Tier
from .views import classified_model


def _item(request: Request, app_label: str, model: str, pk: int) -> Model:
    if not policy.is_officer(request.user):
        raise Http404
    model_class = classified_model(app_label, model)
    try:
        return model_class._default_manager.get(pk=pk)
    except (model_class.DoesNotExist, OverflowError) as error:
        raise Http404 from error


def _grant_dict(row) -> dict[str, Any]:
    user = getattr(row, "user", None)
    group = None if user is not None else row.group
    enterprise = getattr(group, "enterprise", None) if group is not None else None
    if user is not None:
        grantee_type, name = "user", user.get_username()
    elif enterprise is not None:
        grantee_type, name = "enterprise", enterprise.uscc
    else:
        grantee_type, name = "group", group.name
    return {
        "principal": changes.principal_label(row),
        "grantee_type": grantee_type,
        "name": name,
        "valid_until": row.valid_until,
        "in_force": row.is_valid(),
        "granted_by": row.granted_by.get_username() if row.granted_by else None,
        "reason": row.reason,
        "created_at": row.created_at,
    }


def release_dict(obj: Model) -> dict[str, Any]:
    decl = policy.declaration(type(obj))
    return {
        "tier": obj.tier,
        "field_tiers": {
            name: {
                "default": decl.field_tiers.get(name, obj.tier),
                "own": (obj.field_tiers or {}).get(name),
                "effective": policy.field_tier(obj, name),
            }
            for name in decl.sensitive_names()
        },
        "grants": [_grant_dict(row) for row in changes.grants_of(obj)],
    }


def _invalid(error: ValidationError) -> exceptions.ValidationError:
    if hasattr(error, "message_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


class TierInput(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices)
    field_tiers = serializers.DictField(
        child=serializers.ChoiceField(choices=Tier.choices, allow_blank=True), required=False
    )


class GrantInput(serializers.Serializer):
    grantee_type = serializers.ChoiceField(choices=PRINCIPAL_KINDS)
    who = serializers.CharField(max_length=200)
    valid_until = serializers.DateTimeField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


RELEASE_SCHEMA = inline_serializer(
    "Release",
    {
        "tier": serializers.CharField(),
        "field_tiers": serializers.DictField(child=serializers.DictField()),
        "grants": serializers.ListField(child=serializers.DictField()),
    },
)


class ReleaseView(APIView):
    """An item's release settings: read and set the tier and field tiers."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: RELEASE_SCHEMA, 404: OpenApiTypes.OBJECT})
    def get(self, request: Request, app_label: str, model: str, pk: int) -> Response:
        return Response(release_dict(_item(request, app_label, model, pk)))

    @extend_schema(request=TierInput, responses={200: RELEASE_SCHEMA, 400: OpenApiTypes.OBJECT})
    def put(self, request: Request, app_label: str, model: str, pk: int) -> Response:
        obj = _item(request, app_label, model, pk)
        data = TierInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            changes.set_tier(
                request.user,
                obj,
                data.validated_data["tier"],
                data.validated_data.get("field_tiers"),
                request,
            )
        except ValidationError as error:
            raise _invalid(error) from error
        return Response(release_dict(obj))


class GrantListView(APIView):
    """Grant targeted access to the item (again: a new expiry)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=GrantInput, responses={201: RELEASE_SCHEMA, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, app_label: str, model: str, pk: int) -> Response:
        obj = _item(request, app_label, model, pk)
        data = GrantInput(data=request.data)
        data.is_valid(raise_exception=True)
        principal = find_principal(data.validated_data["grantee_type"], data.validated_data["who"])
        if principal is None:
            raise exceptions.ValidationError({"who": ["No such user, group or enterprise."]})
        try:
            changes.grant(
                request.user,
                obj,
                principal,
                data.validated_data.get("valid_until"),
                request,
                reason=data.validated_data.get("reason", ""),
            )
        except ValidationError as error:
            raise _invalid(error) from error
        return Response(release_dict(obj), status=status.HTTP_201_CREATED)


class GrantDetailView(APIView):
    """Withdraw one grant, named by its principal (``u:<user id>`` or ``g:<group id>``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None, 404: OpenApiTypes.OBJECT})
    def delete(
        self, request: Request, app_label: str, model: str, pk: int, principal: str
    ) -> Response:
        obj = _item(request, app_label, model, pk)
        row = changes.find_grant(obj, principal)
        if row is None:
            raise Http404
        changes.revoke_grant(request.user, row, request)
        return Response(status=status.HTTP_204_NO_CONTENT)
