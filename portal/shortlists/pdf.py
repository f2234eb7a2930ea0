"""A shortlist as a PDF in the white papers' print style (WeasyPrint).

Cover (list name, owner, date), a table of the suppliers, then one page per supplier with its
qualifications (type, level, valid until) and the officer's note. The papers' stylesheet gives
the typography, fonts (embedded Noto CJK), running headers and page numbers; a small sheet of
our own adds the supplier page. Rendering reuses ``portal.papers.pdf``'s local-files-only
fetcher, so nothing is fetched from the network. The rows come from ``suppliers`` (policy and
redaction already applied for the exporter), so the PDF shows what the page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.papers.pdf import RenderedPdf, chinese_date, stylesheet_uri, write_pdf

from .models import Shortlist
from .suppliers import Suppliers
from .xlsx import REDACTED, omitted_text

EXTRA_STYLESHEET = "css/shortlist-print.css"


def _extra_stylesheet() -> str:
    path = finders.find(EXTRA_STYLESHEET)
    if not path:  # pragma: no cover - a broken checkout
        raise FileNotFoundError(EXTRA_STYLESHEET)
    return Path(path).resolve().as_uri()


def render_html(shortlist: Shortlist, suppliers: Suppliers, exporter) -> str:
    """The print HTML, in Chinese whatever the request's language (a Chinese document)."""
    now = timezone.localtime()
    owner = shortlist.owner
    context = {
        "shortlist": shortlist,
        "rows": suppliers.rows,
        "omitted": suppliers.omitted,
        "omitted_text": omitted_text(suppliers.omitted) if suppliers.omitted else "",
        "owner_name": owner.get_full_name() or owner.get_username(),
        "exporter_name": exporter.get_full_name() or exporter.get_username(),
        "cover_date": chinese_date(now),
        "generated_at": now,
        "redacted_mark": REDACTED,
        "stylesheets": [stylesheet_uri(), _extra_stylesheet()],
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    with translation.override("zh-hans"):
        return render_to_string("shortlists/shortlist_pdf.html", context)


def expected_pages(suppliers: Suppliers) -> int:
    """About how many pages the PDF has (cover, table, one per supplier), for progress."""
    return 2 + len(suppliers.rows) + len(suppliers.rows) // 20


def render_pdf(
    shortlist: Shortlist,
    suppliers: Suppliers,
    exporter,
    on_page: Callable[[int], None] | None = None,
) -> RenderedPdf:
    return write_pdf(render_html(shortlist, suppliers, exporter), on_page=on_page)
