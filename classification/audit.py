"""The access audit: one entry point, ``record``, with namespaced actions.

Callers record views of vetted and targeted items and downloads of restricted files
(``classification.enterprise.viewed``, ``classification.document.downloaded``); this package
records every change of tier, grant and access request itself. One table, written in the
caller's transaction, so that a rolled-back change leaves no entry claiming it happened.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from .models import AccessLog
from .tiers import Tier, rank


def _client_ip(request) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # and the deployment's proxy sets REMOTE_ADDR through gunicorn's forwarded-allow-ips.
    return request.META.get("REMOTE_ADDR") or None


def record(
    user, obj: Model | None, action: str, request=None, detail: dict[str, Any] | None = None
) -> AccessLog:
    """Append one entry: ``user`` did ``action`` to ``obj`` (from ``request``, if any)."""
    entry = AccessLog(
        user=user if user is not None and user.is_authenticated else None,
        action=action[:100],
        detail=detail or {},
        ip=_client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(type(obj))
        entry.object_id = obj.pk
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry


def record_view(user, obj: Model, request=None, action: str | None = None) -> AccessLog | None:
    """Record a view of ``obj`` when its tier is audited (vetted, targeted); else nothing.

    The action defaults to ``classification.<model>.viewed``.
    """
    if rank(getattr(obj, "tier", Tier.PUBLIC)) < rank(Tier.VETTED):
        return None
    name = action or f"classification.{type(obj)._meta.model_name}.viewed"
    return record(user, obj, name, request)
