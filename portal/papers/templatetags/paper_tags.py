"""Template filters for the PDF rendering of papers."""

from __future__ import annotations

from pathlib import Path

from django import template

register = template.Library()


@register.filter
def file_uri(path: str) -> str:
    """A local file path as a file:// URI: WeasyPrint reads images from disk, never over HTTP,
    and the PDF's URL fetcher (pdf.py) admits only the media, static and font folders."""
    return Path(path).resolve().as_uri()
