"""A notice as a plain dict per reader: what the page, the API and the feeds render.

Everything a renderer shows comes from here after ``classification.redaction.redact``, so a
field above the reader's clearance is absent from the output (never hidden by CSS) and its name
is listed in ``redacted`` for the "仅对认证用户可见 — 申请查看" note. A reader below the body's
tier gets the stub alone (``stub`` true): title, kind, region, deadline and the page's facts.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch
from django.utils import timezone

from classification import policy
from classification.redaction import redact, redacted_fields
from classification.tiers import Tier

from .models import SENSITIVE_FIELDS, Kind, NoticePage

#: Labels of the sensitive fields in the redaction note (declared with the release settings).
FIELD_LABELS = NoticePage.classification.field_labels


def _iso(value) -> str | None:
    """An instant in ISO 8601 with the site's offset (2027-01-15T05:05:00+08:00): the same
    instant as in UTC for programs, and its first ten characters are the date people read."""
    return timezone.localtime(value).isoformat() if value else None


def _stub(notice: NoticePage) -> dict[str, Any]:
    """What every reader who sees the notice learns: its stub and its page's own facts."""
    return {
        "id": notice.pk,
        "title": notice.title,
        "kind": notice.kind,
        "kind_label": str(Kind(notice.kind).label) if notice.kind in Kind.values else "",
        "tier": notice.tier,
        "region": (
            {"code": notice.region.code, "name": notice.region.full_name} if notice.region else None
        ),
        "deadline": _iso(notice.deadline),
        "is_open": notice.is_open,
        "published_at": _iso(notice.first_published_at),
        "url": notice.url,
    }


def _body(notice: NoticePage) -> dict[str, Any]:
    """The list-level fields outside the stub."""
    return {
        "summary": notice.summary,
        "industries": [{"code": i.code, "name": i.name} for i in notice.industries.all()],
    }


def _as_read(notice: NoticePage, user, data: dict[str, Any], body: dict[str, Any]):
    """``data`` (the stub) with the keys of ``body`` that ``user`` reads; ``stub`` says that
    only the stub is shown, ``redacted`` names the sensitive fields left out."""
    kept = redact(notice, user, body)
    kept.pop("redacted")
    return {
        **data,
        **kept,
        "stub": policy.stub_only(user, notice),
        "redacted": redacted_fields(notice, user, SENSITIVE_FIELDS),
    }


def summary_data(notice: NoticePage, user) -> dict[str, Any]:
    """The list-level fields ``user`` reads and which sensitive ones are hidden."""
    return _as_read(notice, user, _stub(notice), _body(notice))


def _budget(notice: NoticePage) -> dict[str, Any] | None:
    if not notice.has_budget:
        return None
    return {
        "min": str(notice.budget_min) if notice.budget_min is not None else None,
        "max": str(notice.budget_max) if notice.budget_max is not None else None,
        "unit": "万元",
    }


def _requirements(notice: NoticePage) -> list[dict[str, Any]]:
    return [
        {"heading": block.value["heading"], "items": list(block.value["items"])}
        for block in notice.body
        if block.block_type == "requirements"
    ]


def _attachments(notice: NoticePage) -> list[dict[str, Any]]:
    return [
        {
            "title": attachment.title or attachment.document.title,
            "url": attachment.document.url,
            "extension": attachment.document.file_extension,
            "size": attachment.document.file_size,
        }
        for attachment in notice.attachments.select_related("document")
    ]


def detail_data(notice: NoticePage, user, full: bool = False) -> dict[str, Any]:
    """Every field of ``notice`` that ``user`` may read (all of them when ``full``)."""
    data = _stub(notice)
    body = _body(notice)
    body.update(
        {
            "qualifications": [
                {
                    "code": row.qualification_type_id,
                    "name": row.qualification_type.name,
                    "minimum_level": row.minimum_level,
                }
                for row in notice.required_qualifications.select_related("qualification_type")
            ],
            "contact": {
                "name": notice.contact_name,
                "phone": notice.contact_phone,
                "email": notice.contact_email,
            },
            "budget": _budget(notice),
            "requirements": _requirements(notice),
            "attachments": _attachments(notice),
        }
    )
    if full:
        return {**data, **body, "stub": False, "redacted": []}
    return _as_read(notice, user, data, body)


def access_request_url(notice: NoticePage) -> str | None:
    """Where to ask for the hidden fields (申请查看), when ``classification`` offers it."""
    try:
        from classification.requests import request_url

        return request_url(notice)
    except (ImportError, NoReverseMatch):
        return None


def detail_context(notice: NoticePage, request, full: bool = False) -> dict[str, Any]:
    """Template context of a notice page for ``request.user``."""
    from .responses import response_state

    user = request.user
    data = detail_data(notice, user, full=full)
    hidden = set(data["redacted"])
    blocks = [
        b for b in notice.body if not (b.block_type == "requirements" and "requirements" in hidden)
    ]
    stub = data["stub"]
    return {
        "notice_data": data,
        "body_blocks": [] if stub else blocks,
        "redacted_labels": [FIELD_LABELS[name] for name in data["redacted"]],
        "access_request_url": access_request_url(notice) if hidden and not full else None,
        "response_state": None if full or stub else response_state(notice, user),
        "body_tier_label": Tier(policy.field_tier(notice, "body")).label if stub else "",
        "clearance": policy.clearance(user),
    }
