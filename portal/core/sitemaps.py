"""The sections of /sitemap.xml, one entry per content app.

Every section lists public items only: its queryset is built as the anonymous user through
``classification.policy.visible``. The route is in portal/urls.py (``sitemap.xml``).
"""

from __future__ import annotations

from portal.enterprises.sitemaps import SupplierSitemap
from portal.notices.sitemap import NoticeSitemap
from portal.papers.sitemaps import PaperSitemap

SITEMAPS = {
    "notices": NoticeSitemap,
    "papers": PaperSitemap,
    "suppliers": SupplierSitemap,
}
