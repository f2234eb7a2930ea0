"""Supplier profiles in /sitemap.xml: the profiles an anonymous visitor may open, nothing more.

A sitemap is read by anonymous crawlers, so its queryset is the release policy's answer for the
anonymous user (approved, public-tier profiles); a profile revoked or raised to a higher tier
drops out with the next request, as it does from the directory.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from classification import policy

from .models import Enterprise


class SupplierSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 5000

    def items(self):
        profiles = policy.visible(Enterprise.objects.all(), AnonymousUser())
        return profiles.only("pk", "updated_at").order_by("pk")

    def location(self, item) -> str:
        return reverse("enterprises:profile", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at
