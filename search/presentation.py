"""Search hits as plain dicts: the one shape the API returns and the pages render."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .facets import FACETS
from .queries import SupplierHit, SupplierResults


def _labels() -> dict[str, dict[str, str]]:
    return {name: facet.labels() for name, facet in FACETS.items()}


def hit_dict(hit: SupplierHit, labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    source = hit.source
    region = source.get("region_code", "")
    return {
        "id": hit.id,
        "name": source.get("name", ""),
        "uscc": source.get("uscc", ""),
        "region": {"code": region, "name": labels["region"].get(region, "")},
        "industries": [
            {"code": code, "name": labels["industry"].get(code, code)}
            for code in source.get("industry", [])
        ],
        "qualifications": [
            {"code": code, "name": labels["qualification"].get(code, code)}
            for code in source.get("qualification", [])
            if ":" not in code
        ],
        "summary": source.get("summary", ""),
        "highlight": hit.highlight,
        "url": reverse("enterprises:profile", args=[hit.id]),
    }


def results_dict(results: SupplierResults) -> dict[str, Any]:
    labels = _labels()
    return {
        "count": results.total,
        "page": results.page,
        "pages": results.pages,
        "results": [hit_dict(hit, labels) for hit in results.hits],
        "facets": {
            name: [
                {"key": v.key, "label": v.label, "count": v.count, "selected": v.selected}
                for v in values
            ]
            for name, values in results.facets.items()
        },
    }
