"""The sections of /sitemap.xml, one entry per content app.

NOTE to the papers helper (and later apps): add your section to SITEMAPS below with a one-line
additive edit, e.g. ``"papers": PaperSitemap``. Every section lists public items only (build
its queryset as the anonymous user through ``classification.policy.visible``). The route is in
portal/urls.py (``sitemap.xml``), owned by the notices app.
"""

from __future__ import annotations

from portal.notices.sitemap import NoticeSitemap
from portal.papers.sitemaps import PaperSitemap

SITEMAPS = {
    "notices": NoticeSitemap,
    "papers": PaperSitemap,
}
