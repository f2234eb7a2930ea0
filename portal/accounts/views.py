"""Account pages: sign-up, e-mail verification, login/logout with the second factor,
password reset and change, the dashboard with the user's API tokens."""

from __future__ import annotations

from urllib.parse import urlencode

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from . import api_tokens, mfa
from .forms import (
    AuthenticatorCodeForm,
    QueuedPasswordResetForm,
    ResendVerificationForm,
    SecondFactorForm,
    SignUpForm,
)
from .models import User
from .roles import ENTERPRISE, ROLES, role_names
from .tokens import InvalidToken, user_for_token
from .verification import send_verification_email


def _checked_next(request: HttpRequest) -> str:
    """The ``next`` address of the request when it stays on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` address of the request when it stays on this site, else the dashboard.

    People reach sign-up from "log in to respond" or "save this search" links; sending them back
    there is what they expect, but only to our own pages (an open redirect is a phishing aid).
    """
    return _checked_next(request) or str(reverse_lazy("accounts:dashboard"))


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Self-service accounts are enterprise users: the role lets them register or claim one."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            user.groups.add(Group.objects.get(name=ENTERPRISE))
            send_verification_email(user, next_url=_checked_next(request))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Your account was created. We sent a verification link to %(email)s.")
            % {"email": user.email},
        )
        return redirect(_safe_next(request))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@require_http_methods(["GET"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = user_for_token(token)
    except InvalidToken:
        return render(
            request, "accounts/verify_failed.html", {"form": ResendVerificationForm()}, status=400
        )
    user.mark_email_verified()
    messages.success(request, _("Thank you, your e-mail address is verified."))
    # Back to where sign-up started (the enterprise wizard, a notice), through the login when
    # the link is opened in another browser; the address is checked again, it can be edited.
    target = _checked_next(request)
    if request.user.is_authenticated:
        return redirect(target or "accounts:dashboard")
    login_url = str(reverse_lazy("accounts:login"))
    return redirect(f"{login_url}?{urlencode({'next': target})}" if target else login_url)


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    """Send the link again. The answer is the same whether the address exists or not."""
    initial = {"email": request.user.email} if request.user.is_authenticated else None
    form = ResendVerificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], email_verified_at__isnull=True, is_active=True
        ).first()
        if user is not None:
            send_verification_email(user)
        messages.info(
            request, _("If an unverified account uses this address, a new link is on its way.")
        )
        return redirect("accounts:resend_verification")
    return render(request, "accounts/resend_verification.html", {"form": form})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = [ROLES[name] for name in sorted(role_names(request.user))]
    context = {
        "roles": roles,
        "api_tokens": api_tokens.live_tokens(request.user),
        "api_token_ttl_days": settings.API_TOKEN_TTL_DAYS,
        "has_authenticator": mfa.confirmed_totp(request.user) is not None,
    }
    return render(request, "accounts/dashboard.html", context)


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: str) -> HttpResponse:
    """End one of the user's own API tokens; another user's id is a 404, as an unknown one."""
    if not api_tokens.revoke(request.user, token_id):
        raise Http404
    messages.success(request, _("The API token %(id)s was revoked.") % {"id": token_id})
    return redirect("accounts:dashboard")


class LoginView(auth_views.LoginView):
    """The password step; people who need the second factor go on to it (``mfa``)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        target = self.get_success_url()
        if mfa.needs_second_factor(form.get_user(), target):
            return redirect(mfa.second_step_url(form.get_user(), target))
        return response


def _second_step_guard(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan or type the secret, confirm with a current code, then
    see the recovery codes once. Someone who already has one verifies instead (replacing it
    takes an administrator's reset, see docs/security.md)."""
    if (refusal := _second_step_guard(request)) is not None:
        return refusal
    if mfa.confirmed_totp(request.user) is not None:
        if request.user.is_verified():
            messages.info(request, _("Two-factor authentication is already set up."))
            return redirect(_safe_next(request))
        return redirect(mfa.second_step_url(request.user, _safe_next(request)))
    device = mfa.pending_totp(request.user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = mfa.verify_code(request.user, form.cleaned_data["code"], device=device)
        if result.device is not None:
            codes = mfa.confirm_enrolment(device)
            otp_login(request, device)
            context = {"codes": codes, "next": _safe_next(request), "enrolled": True}
            return render(request, "accounts/mfa_recovery_codes.html", context)
        form.add_error("code", _code_refusal(result))
    context = {
        "form": form,
        "secret": mfa.base32_secret(device),
        "qr_svg": mfa.qr_svg(device),
        "otpauth_uri": device.config_url,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "required": mfa.needs_second_factor(request.user, ""),
    }
    return render(request, "accounts/mfa_setup.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The login's second step: a code from the authenticator app or a recovery code."""
    if (refusal := _second_step_guard(request)) is not None:
        return refusal
    if not user_has_device(request.user):
        return redirect(mfa.second_step_url(request.user, _safe_next(request)))
    if request.user.is_verified():
        return redirect(_safe_next(request))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = mfa.verify_code(request.user, form.cleaned_data["code"])
        if result.device is not None:
            otp_login(request, result.device)
            if isinstance(result.device, StaticDevice):
                left = result.device.token_set.count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d are left. Each works only once.")
                    % {"left": left},
                )
            return redirect(_safe_next(request))
        form.add_error("code", _code_refusal(result))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": next_url})


@never_cache
@require_POST
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes for a verified session (the old ones stop working), shown once."""
    if (refusal := _second_step_guard(request)) is not None:
        return refusal
    if not request.user.is_verified():
        return redirect(mfa.second_step_url(request.user, str(reverse_lazy("accounts:dashboard"))))
    codes = mfa.new_recovery_codes(request.user)
    context = {"codes": codes, "next": str(reverse_lazy("accounts:dashboard")), "enrolled": False}
    return render(request, "accounts/mfa_recovery_codes.html", context)


def _code_refusal(result: mfa.Verification) -> str:
    if result.locked_until is not None:
        return _("Too many wrong codes. Wait until %(time)s, then enter the current code.") % {
            "time": time_format(timezone.localtime(result.locked_until), "H:i:s")
        }
    return _(
        "This code is not right. Enter the 6 digits your authenticator app shows now, "
        "or an unused recovery code."
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    return auth_views.LogoutView.as_view()(request)


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=QueuedPasswordResetForm,
    email_template_name="email/password_reset.txt",
    html_email_template_name="email/password_reset.html",
    subject_template_name="email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the e-mailed link also lifts the account's login lockout:
    the locked page sends people here, and whoever reads the mailbox has proved who they are."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password knowing the current one; this session stays, API tokens end."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password was changed. Your other sessions and all your API tokens have ended."),
        )
        return response


password_change = PasswordChangeView.as_view()
