"""Content-search hits as plain dicts: the one shape the site-search API returns and the site
search page renders. Every hit carries ``type``, ``id``, ``title``, ``summary``, ``url`` and
``highlight``; each type adds what a reader needs to tell results apart (region, kind,
deadline, issuing body). Only fields the index holds at the item's own tier appear here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .facets import FACETS
from .presentation import hit_dict
from .site_queries import ContentHit, ContentResults, _kind_labels

TYPE_LABELS = {"enterprise": "Enterprise", "notice": "Notice", "paper": "Paper"}


def _is_open(deadline: str | None, now: datetime) -> bool:
    if not deadline:
        return True
    parsed = parse_datetime(deadline)
    return parsed is None or parsed >= now


def _region(code: str | None, labels: dict[str, str]) -> dict[str, str] | None:
    return {"code": code, "name": labels.get(code, "")} if code else None


def content_hit_dict(hit: ContentHit, labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    source = hit.source
    if hit.type == "enterprise":
        data = hit_dict(hit, labels)  # a ContentHit is a SupplierHit
        return {"type": "enterprise", "title": data["name"], **data}
    common = {
        "type": hit.type,
        "id": hit.id,
        "title": source.get("title", ""),
        "summary": source.get("summary", ""),
        "tier": source.get("tier", ""),
        "url": source.get("url", ""),
        "published_at": source.get("published_at"),
        "highlight": hit.highlight,
    }
    if hit.type == "notice":
        kind = source.get("kind", "")
        return {
            **common,
            "kind": kind,
            "kind_label": labels["kind"].get(kind, ""),
            "region": _region(source.get("region_code"), labels["region"]),
            "industries": [
                {"code": code, "name": labels["industry"].get(code, code)}
                for code in source.get("industry", [])
            ],
            "deadline": source.get("deadline"),
            "is_open": _is_open(source.get("deadline"), timezone.now()),
        }
    return {
        **common,
        "subtitle": source.get("subtitle", ""),
        "kind": source.get("kind", ""),
        "issuing_body": source.get("issuing_body", ""),
        "issue_date": source.get("issue_date"),
    }


def labels() -> dict[str, dict[str, str]]:
    found = {name: facet.labels() for name, facet in FACETS.items()}
    found["kind"] = _kind_labels()
    return found


def site_results_dict(results: ContentResults) -> dict[str, Any]:
    known = labels()
    return {
        "count": results.total,
        "page": results.page,
        "pages": results.pages,
        "results": [content_hit_dict(hit, known) for hit in results.hits],
        "facets": {
            name: [
                {"key": v.key, "label": v.label, "count": v.count, "selected": v.selected}
                for v in values
            ]
            for name, values in results.facets.items()
        },
    }
