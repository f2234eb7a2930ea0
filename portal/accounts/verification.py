"""Sending the verification e-mail: one place, used by sign-up and by "send again"."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from portal.core.mail import send_templated

from .models import User
from .tokens import make_verification_token


def send_verification_email(user: User) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:verify_email", args=[make_verification_token(user)]
    )
    days = settings.EMAIL_VERIFICATION_MAX_AGE.days
    send_templated("verify_email", [user.email], {"user": user, "link": link, "valid_days": days})
