"""Sending the verification e-mail: one place, used by sign-up and by "send again"."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from portal.core.mail import send_templated

from .models import User
from .tokens import make_verification_token


def send_verification_email(user: User, next_url: str = "") -> None:
    """Mail ``user`` their link; ``next_url`` (a page of this site the caller has checked) is
    where the link lands them, so that a newcomer who signed up from the enterprise wizard is
    back in it once verified. The link's view checks it again: the address can be edited."""
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:verify_email", args=[make_verification_token(user)]
    )
    if next_url:
        link += "?" + urlencode({"next": next_url})
    days = settings.EMAIL_VERIFICATION_MAX_AGE.days
    send_templated("verify_email", [user.email], {"user": user, "link": link, "valid_days": days})
