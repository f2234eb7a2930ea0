"""API tokens for programs: obtain one with user name and password, list and revoke your own.

``POST /api/v1/auth/token/`` goes through ``authenticate(request=...)`` so that django-axes
counts failures here as on the login page, and through the ``auth`` throttle scope. Each call
issues a new token (``portal.accounts.api_tokens``); what ends tokens is described there and in
docs/security.md.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django_otp import user_has_device
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.accounts import api_tokens, mfa
from portal.accounts.roles import role_names

from .authentication import CACHE_CONTROL
from .errors import error_responses


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    code = serializers.CharField(
        max_length=32,
        required=False,
        help_text="The authenticator's current code, or a recovery code: required for accounts "
        "that log in with a second factor (staff).",
    )


class TokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: never the secret, which only its creation answer holds."""

    id = serializers.CharField(source="token_key", help_text="Revoke the token by this id.")
    expires = serializers.DateTimeField(source="expiry")
    current = serializers.SerializerMethodField(
        help_text="Whether this token authenticates the request."
    )

    class Meta:
        model = AuthToken
        fields = ["id", "created", "expires", "current"]

    def get_current(self, token: AuthToken) -> bool:
        used = self.context["request"].auth
        return isinstance(used, AuthToken) and used.digest == token.digest


class ObtainTokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expires": serializers.DateTimeField()},
            ),
            **error_responses(400, 429),
        },
        summary="Obtain an API token",
        description="Each call issues a new token, valid for API_TOKEN_TTL_DAYS days.",
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with the given credentials."]}
            )
        _second_factor(request, user, serializer.validated_data.get("code", ""))
        token, secret = api_tokens.issue(user)
        expires = serializers.DateTimeField().to_representation(token.expiry)
        # The answer holds a secret, though the request carried none: no cache may keep it.
        return Response(
            {"token": secret, "expires": expires}, headers={"Cache-Control": CACHE_CONTROL}
        )


def _second_factor(request: Request, user, code: str) -> None:
    """A token is a login: whoever logs in to the site with a second factor gives it here too,
    or a staff password alone would open the API as staff."""
    if not mfa.needs_second_factor(user, request.path):
        return
    if not user_has_device(user):
        raise serializers.ValidationError(
            {"code": ["Set up the authenticator app on the site first (log in once)."]}
        )
    if not code:
        raise serializers.ValidationError(
            {"code": ["This account needs the authenticator's code or a recovery code."]}
        )
    outcome = mfa.verify_code(user, code)
    if outcome.device is None:
        message = "The code is not valid."
        if outcome.locked_until:
            message = f"Too many wrong codes; try again after {outcome.locked_until.isoformat()}."
        raise serializers.ValidationError({"code": [message]})


class TokenListView(generics.ListAPIView):
    """The caller's own live tokens, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = TokenSerializer

    def get_queryset(self):
        return api_tokens.live_tokens(self.request.user)

    @extend_schema(
        operation_id="auth_tokens_list",
        summary="Your API tokens",
        responses={200: TokenSerializer(many=True), **error_responses(400, 401, 429)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class TokenDetailView(APIView):
    """Revoke one of the caller's tokens; someone else's id is answered like an unknown one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_tokens_destroy",
        summary="Revoke one of your API tokens",
        responses={
            204: OpenApiResponse(description="Revoked."),
            **error_responses(401, 404, 429),
        },
    )
    def delete(self, request: Request, token_id: str) -> Response:
        if not api_tokens.revoke(request.user, token_id):
            raise NotFound("You have no token with this id.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """Who the request is authenticated as: lets a program check its token."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: inline_serializer(
                "Me",
                {
                    "id": serializers.IntegerField(),
                    "username": serializers.CharField(),
                    "email": serializers.EmailField(),
                    "email_verified": serializers.BooleanField(),
                    "roles": serializers.ListField(child=serializers.CharField()),
                },
            ),
            **error_responses(401),
        },
        summary="The authenticated user",
    )
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "email": user.email,
                "email_verified": user.email_verified,
                "roles": sorted(role_names(user)),
            }
        )
