"""Template filters for the PDF rendering of papers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from django import template

from ..outline import caption_text

register = template.Library()


@register.filter
def caption(value: str) -> str:
    """A caption without the "图 1" an editor may have typed: the template numbers it."""
    return caption_text(value)


@register.filter
def file_uri(path: str) -> str:
    """A local file path as a file:// URI: WeasyPrint reads images from disk, never over HTTP,
    and the PDF's URL fetcher (pdf.py) admits only the media, static and font folders."""
    return Path(path).resolve().as_uri()


@register.filter
def readable_url(path: str) -> str:
    """A page path as people read it: a Chinese slug printed as Chinese, not as a run of
    %E5%B9%BF… escapes (which a browser accepts either way)."""
    return unquote(path or "")


@register.simple_tag(takes_context=True)
def featured_rows(context, value) -> list[dict]:
    """A 推介目录 category's entries with the enterprise each names, as the reader may see it:
    the name and a link for a profile the reader may see, "not public" otherwise (a PDF is
    read as an anonymous visitor reads it)."""
    from classification import policy
    from portal.enterprises.models import Enterprise

    request = context.get("request")
    user = getattr(request, "user", None)
    codes = [entry["uscc"] for entry in value["entries"]]
    visible = {e.uscc: e for e in policy.visible(Enterprise.objects.filter(uscc__in=codes), user)}
    return [
        {
            "enterprise": visible.get(entry["uscc"]),
            "technology": entry["technology"],
            "reason": entry["reason"],
        }
        for entry in value["entries"]
    ]
