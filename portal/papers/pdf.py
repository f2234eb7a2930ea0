"""A paper as a print-quality PDF, made by WeasyPrint from the paper's own blocks.

``render_html`` fills ``templates/papers/paper_pdf.html`` (cover, contents, chapters,
colophon; typography in ``static/css/paper-print.css``) and ``write_pdf`` hands it to
WeasyPrint. WeasyPrint reads only local files here: images from the media folder, the
stylesheet, and the Noto CJK fonts, which it embeds (subset) so that the PDF reads the same on
a machine without Chinese fonts. Remote URLs in editor content are refused, so rendering never
waits on, or leaks to, another server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .outline import outline

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
STYLESHEET = "css/paper-print.css"
_CN_DIGITS = "〇一二三四五六七八九"
# WeasyPrint logs every layout step at INFO; keep its warnings (missing images, bad CSS).
_PROGRESS = logging.getLogger("weasyprint.progress")
_PROGRESS.setLevel(logging.WARNING)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


class LocalFilesOnly(URLFetcher):
    """Fetch file: and data: URLs under the media, static and font folders; refuse the rest."""

    def __init__(self, **kwargs) -> None:
        super().__init__(allowed_protocols=("file", "data"), **kwargs)
        roots = [Path(settings.MEDIA_ROOT), Path(settings.BASE_DIR) / "static", *FONT_DIRS]
        roots += [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Refused to read {path}: outside the paper's folders")
        return super().fetch(url, headers)


def stylesheet_uri() -> str:
    path = finders.find(STYLESHEET)
    if not path:  # pragma: no cover - a broken checkout
        raise FileNotFoundError(STYLESHEET)
    return Path(path).resolve().as_uri()


def chinese_date(value) -> str:
    """2026-03-15 -> 二〇二六年三月 (the form printed on covers of Chinese government papers)."""
    from .outline import chinese_numeral

    year = "".join(_CN_DIGITS[int(d)] for d in f"{value.year}")
    return f"{year}年{chinese_numeral(value.month)}月"


def render_html(page, revision=None) -> str:
    """The print HTML of ``page`` as it stood in ``revision`` (the page's own state if None).

    Rendered in Chinese whatever the request's language: the PDF is a Chinese publication.
    """
    paper = revision.as_object() if revision is not None else page
    context = {
        "page": paper,
        "pdf": True,
        "outline": outline(paper),
        "stylesheet": stylesheet_uri(),
        "cover_date": chinese_date(paper.issue_date),
        "revision": revision,
        "generated_at": timezone.localtime(),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    with translation.override("zh-hans"):
        return render_to_string("papers/paper_pdf.html", context)


def base_url() -> str:
    return Path(settings.BASE_DIR).resolve().as_uri() + "/"


class _PageCounter(logging.Handler):
    """Hears WeasyPrint's "Creating layout - Page N" progress lines and passes N on."""

    def __init__(self, on_page: Callable[[int], None]) -> None:
        super().__init__(logging.INFO)
        self.on_page = on_page

    def emit(self, record: logging.LogRecord) -> None:
        if "Creating layout" in str(record.msg) and record.args:
            self.on_page(int(record.args[0]))


@contextmanager
def _pages_laid_out(on_page: Callable[[int], None] | None) -> Iterator[None]:
    """While rendering, call ``on_page(n)`` as WeasyPrint lays out page n: the only progress
    it reports. Its progress lines stay out of the logs (not propagated)."""
    if on_page is None:
        yield
        return
    handler = _PageCounter(on_page)
    level, propagate = _PROGRESS.level, _PROGRESS.propagate
    _PROGRESS.addHandler(handler)
    _PROGRESS.setLevel(logging.INFO)
    _PROGRESS.propagate = False
    try:
        yield
    finally:
        _PROGRESS.removeHandler(handler)
        _PROGRESS.setLevel(level)
        _PROGRESS.propagate = propagate


def write_pdf(html: str, on_page: Callable[[int], None] | None = None) -> RenderedPdf:
    """Lay out and write the PDF; fonts are subset and embedded by WeasyPrint.

    ``on_page`` hears each page number as it is laid out, for a progress bar (long documents
    take seconds to lay out).
    """
    with _pages_laid_out(on_page):
        document = HTML(string=html, base_url=base_url(), url_fetcher=LocalFilesOnly()).render()
    return RenderedPdf(document.write_pdf(), len(document.pages))


def render_pdf(page, revision=None) -> RenderedPdf:
    return write_pdf(render_html(page, revision))
