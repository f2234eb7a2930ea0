"""drf-spectacular hooks."""

from __future__ import annotations


def public_api_only(endpoints: list[tuple], **kwargs) -> list[tuple]:
    """Publish /api/v1/ only; Wagtail's admin API is an implementation detail of the admin."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
