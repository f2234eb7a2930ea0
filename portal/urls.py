"""URL map of the portal. Wagtail's page tree comes last: it answers every path left over."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from oauth2_provider import views as oauth2_views
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from classification.wagtail_admin import admin_url_overrides
from portal.core import views as core_views
from portal.core.sitemaps import SITEMAPS
from portal.enterprises import search_urls as supplier_search_urls
from search import urls as search_urls

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.accounts.urls")),
    path("enterprises/", include("portal.enterprises.urls")),
    path("papers/", include("portal.papers.urls")),
    path("classification/", include("classification.urls")),
    # Agencies' OAuth2 client credentials (docs/sharing.md): tokens only, no user consent pages.
    path("o/token/", oauth2_views.TokenView.as_view(), name="oauth2_token"),
    path("o/revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="oauth2_revoke_token"),
    path("api/v1/", include("portal.api.urls")),
    path("api/v1/", include(search_urls.api_urlpatterns)),
    path("api/v1/", include(supplier_search_urls.api_urlpatterns)),
    path("", include("search.urls")),
    path("", include("portal.enterprises.search_urls")),
    path("notices/", include("portal.notices.urls")),
    path("desk/", include("portal.notices.desk_urls")),
    path("matching/", include("portal.matching.urls")),
    path("alerts/", include("portal.alerts.urls")),
    path("shortlists/", include("portal.shortlists.urls")),
    path("statistics/", include("portal.statistics.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Documents: served only through the release policy (portal/notices/documents.py).
    path("documents/", include(wagtaildocs_urls)),
    # Two Wagtail reports replaced by release-aware ones (classification.wagtail_policy).
    *admin_url_overrides(),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
