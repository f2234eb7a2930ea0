"""Signed, expiring e-mail verification links.

The token carries the user's id and the address it was sent to, so that changing the address
invalidates links sent to the old one; no table is needed.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from .models import User

_SALT = "portal.accounts.email-verification"


def make_verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=_SALT, compress=True)


class InvalidToken(Exception):
    """The link is malformed, expired, or was sent to an address the account no longer has."""


def user_for_token(token: str) -> User:
    max_age = settings.EMAIL_VERIFICATION_MAX_AGE.total_seconds()
    try:
        payload = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidToken("expired") from error
    except signing.BadSignature as error:
        raise InvalidToken("bad signature") from error
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or user.email.lower() != payload.get("e"):
        raise InvalidToken("no such account")
    return user
