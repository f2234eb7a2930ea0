"""Notices in /sitemap.xml: the index and the notices an anonymous visitor may see.

A sitemap is public by nature, so it is built as the anonymous user whoever requests it; a
vetted or targeted notice must not be confirmed to exist by appearing here.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from .listing import visible_notices
from .models import NoticeIndexPage


class NoticeSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        index = list(NoticeIndexPage.objects.live().public())
        return index + list(visible_notices(AnonymousUser()))

    def location(self, item) -> str:
        return item.url

    def lastmod(self, item):
        return item.last_published_at
