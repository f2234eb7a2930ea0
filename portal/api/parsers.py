"""JSON request bodies, bounded: a body too large is refused with 413 and one nested too deeply
with 400, both in the API's error shape, before any view sees them.

DRF's own JSON parser hands the stream to Python's ``json``, which recurses once per level of
nesting: a body of 5,000 opening brackets ended in a ``RecursionError`` and a 500. orjson parses
without recursion limits of Python's own (it refuses more than 1,024 levels), and the depth
check below keeps what views receive to the shapes they can expect.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.parsers import BaseParser

#: Deeper nesting than any request of the API has (a saved search's filters are three levels).
MAX_JSON_DEPTH = 32


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = settings.API_MAX_JSON_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise BodyTooLarge()
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            if "depth limit" in str(error):
                raise _too_deep() from error
            raise exceptions.ParseError(_("The body is not valid JSON.")) from error
        if _depth(data) > MAX_JSON_DEPTH:
            raise _too_deep()
        return data


def _too_deep() -> exceptions.ParseError:
    return exceptions.ParseError(
        _("The JSON body is nested more than %d levels deep.") % MAX_JSON_DEPTH
    )


def _depth(value: Any) -> int:
    """How many levels of arrays and objects ``value`` nests, counted without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            return level
        pending.extend((child, level + 1) for child in children)
    return deepest
