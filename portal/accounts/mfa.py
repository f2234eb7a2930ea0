"""Two-factor authentication (TOTP with single-use recovery codes) on top of django-otp.

The password step logs a person in as before; a staff session then stays *unverified* until it
presents a code from a confirmed authenticator (``django_otp.login`` puts the device in the
session). ``SecondFactorMiddleware`` is the one place that refuses unverified sessions, so the
Wagtail admin (its API and choosers included), the Django admin and every staff page of the
site are covered without a check per view:

- superusers, Django staff and the staff roles (classification officers, publishers, reviewers)
  must verify before any page but the enrolment/verification pages and logout: what a staff
  account may read on the public pages (restricted notices, say) is itself worth a second factor;
- anyone else who can enter an admin must verify before the admin;
- anyone who enrolled of their own accord is asked too, since that is what enrolling means.

``MFA_REQUIRED_FOR_STAFF = False`` (development only, see ``check_settings``) leaves only the
last rule, so that `make run`'s demo accounts log in with their password.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import CLASSIFICATION_OFFICER, PUBLISHER, REVIEWER, role_names

#: Roles whose every page needs the second factor (docs/roles.md, docs/security.md).
STAFF_ROLES = frozenset({CLASSIFICATION_OFFICER, PUBLISHER, REVIEWER})
#: URL prefixes of the admins: whoever can enter one verifies first.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


def check_settings() -> None:
    """Refuse to start with the second factor switched off where demo data is not allowed.

    Production sets ``DEMO_DATA_ALLOWED = False``, so a production configuration that turns
    ``MFA_REQUIRED_FOR_STAFF`` off fails at start-up instead of quietly running without it.
    """
    if not settings.MFA_REQUIRED_FOR_STAFF and not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured(
            "MFA_REQUIRED_FOR_STAFF may be off only where DEMO_DATA_ALLOWED is true "
            "(development); production always requires the second factor for staff."
        )


def is_mfa_staff(user) -> bool:
    """Superusers, Django staff and the staff roles: they must enrol and verify."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or role_names(user) & STAFF_ROLES)


def can_enter_admin(user) -> bool:
    return bool(user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))


def second_factor_required(user, path: str) -> bool:
    """Whether this request must wait for the second factor (see the module docstring)."""
    if not user.is_authenticated or user.is_verified():
        return False
    return needs_second_factor(user, path)


def needs_second_factor(user, path: str) -> bool:
    """Whether ``user``, not yet verified, must verify before ``path``."""
    if settings.MFA_REQUIRED_FOR_STAFF:
        if is_mfa_staff(user):
            return True
        if path.startswith(ADMIN_PREFIXES) and can_enter_admin(user):
            return True
    return user_has_device(user)


def second_step_url(user, next_url: str) -> str:
    """Verification for those with an authenticator, enrolment for the others."""
    step = "accounts:mfa_verify" if user_has_device(user) else "accounts:mfa_setup"
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return reverse(step) + query


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_totp(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled: one per user, kept across page loads so
    that the QR code scanned stays the one the confirmation checks."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI as an inline SVG QR code: drawn here, so the secret never
    leaves the server for a QR service."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


@transaction.atomic
def confirm_enrolment(device: TOTPDevice) -> list[str]:
    """Confirm the authenticator and issue fresh recovery codes, returned in clear once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODE_COUNT`` new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def reset_devices(user) -> int:
    """Remove every authenticator and recovery code of ``user`` (a lost phone): the next
    login starts enrolment again. Returns how many devices were removed."""
    with transaction.atomic():
        totp = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
        static = (
            StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
        )
    return totp + static


@dataclass
class Verification:
    """The outcome of one code: the device that accepted it, or why it was refused."""

    device: TOTPDevice | StaticDevice | None = None
    locked_until: datetime | None = None


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def verify_code(user, code: str, device: TOTPDevice | None = None) -> Verification:
    """Check a 6-digit code against the authenticator (``device``, else the confirmed one) or
    any other code against the recovery codes, each under django-otp's throttling: after a
    wrong code the device accepts nothing for 1, 2, 4, 8 ... seconds
    (``OTP_*_THROTTLE_FACTOR``), which makes guessing hopeless while a typo costs a second."""
    code = normalise_code(code)
    if code.isdigit() and len(code) == 6:
        target = device or confirmed_totp(user)
    else:
        target = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if target is None:
        return Verification()
    allowed, detail = target.verify_is_allowed()
    if not allowed:
        return Verification(locked_until=(detail or {}).get("locked_until"))
    return Verification(device=verify_token(user, target.persistent_id, code))


def _exempt(path: str) -> bool:
    """Pages an unverified session may still reach: the second step itself and logout."""
    return path.startswith(
        (
            reverse("accounts:mfa_verify"),
            reverse("accounts:mfa_setup"),
            reverse("accounts:logout"),
            settings.STATIC_URL,
            "/i18n/",
        )
    ) or path == reverse("healthz")


def _token_authenticated(request: HttpRequest) -> bool:
    """API calls carrying ``Authorization: Token …``: DRF authenticates them by the token
    alone (an invalid token is refused, never replaced by the session), so they are the
    token's business, not the session's."""
    scheme = request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0]
    return request.path.startswith("/api/") and scheme.lower() == "token"


class SecondFactorMiddleware:
    """Send unverified sessions that need the second factor to enrolment or verification;
    API calls by such a session get 403 in the API's error shape.

    Installed after django-otp's ``OTPMiddleware``, which tells whether a session is verified.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not _exempt(request.path)
            and not _token_authenticated(request)
            and second_factor_required(request.user, request.path)
        ):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            body = {
                "error": {
                    "code": "second_factor_required",
                    "message": _(
                        "Two-factor authentication is required: "
                        "finish the verification step of the login first."
                    ),
                    "fields": {},
                }
            }
            return JsonResponse(body, status=403)
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect(second_step_url(request.user, next_url))
