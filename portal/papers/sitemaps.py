"""Papers in /sitemap.xml: public, live papers only (a sitemap is read by anonymous crawlers)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from classification import policy

from .models import PaperIndexPage, PaperPage


class PaperSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        papers = policy.visible(PaperPage.objects.live(), AnonymousUser())
        return [*PaperIndexPage.objects.live(), *papers.order_by("-issue_date", "pk")]

    def location(self, item) -> str:
        return item.url

    def lastmod(self, item):
        return item.last_published_at
