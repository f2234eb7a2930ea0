"""Routes of /api/v1/: each resource app's router is included here, under one prefix."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.notices.api import urlpatterns_api as notice_routes

from .auth import MeView, ObtainTokenView, TokenDetailView, TokenListView

app_name = "api"

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("auth/tokens/", TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<str:token_id>/", TokenDetailView.as_view(), name="token_detail"),
    path("me/", MeView.as_view(), name="me"),
    path("enterprises/", include("portal.enterprises.api.urls")),
    path("papers/", include("portal.papers.api_urls")),
    path("", include("portal.matching.api_urls")),
    path("", include("portal.alerts.api_urls")),
    path("", include("portal.shortlists.api_urls")),
    path("", include("portal.statistics.api_urls")),
    path("", include("classification.api_urls")),
    path("sharing/", include("portal.sharing.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its init script from its own URL: no inline script under the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

# Notices (供需信息): their routes come from ``portal.notices.api``.
urlpatterns += [path(route, view.as_view(), name=name) for route, view, name in notice_routes]
