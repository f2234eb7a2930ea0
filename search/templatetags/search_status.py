"""``{% rebuilding_banner %}``: the notice search pages show while the index is rebuilt."""

from __future__ import annotations

from django import template

from ..rebuilding import rebuilding

register = template.Library()


@register.inclusion_tag("search/_rebuilding_banner.html")
def rebuilding_banner() -> dict:
    return {"rebuilding": bool(rebuilding())}
