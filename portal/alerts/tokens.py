"""Unsubscribe tokens: signed, so that a link in an e-mail works without logging in.

A token names one saved search (or, for the ``List-Unsubscribe`` header, all of a user's) and
its owner; ``django.core.signing`` with its own salt makes it useless for anything else and
refuses any change to it. Tokens do not expire: an unsubscribe link in an old e-mail must
still work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "portal.alerts.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    saved_search_id: int | None  # None: every saved search of the user


class BadToken(ValueError):
    """The token was changed, cut or made for something else."""


def make_token(user_id: int, saved_search_id: int | None = None) -> str:
    payload: dict[str, int] = {"u": user_id}
    if saved_search_id is not None:
        payload["s"] = saved_search_id
    return signing.dumps(payload, salt=SALT, compress=False)


def read_token(token: str) -> Unsubscribe:
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise BadToken(str(error)) from error
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise BadToken("malformed payload")
    search = payload.get("s")
    if search is not None and not isinstance(search, int):
        raise BadToken("malformed payload")
    return Unsubscribe(user_id=payload["u"], saved_search_id=search)
