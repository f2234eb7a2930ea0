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
