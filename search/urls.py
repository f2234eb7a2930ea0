"""Search pages and search API routes (the API ones are included under /api/v1/)."""

from django.urls import path

from . import api, views

app_name = "search"

urlpatterns = [
    path("suppliers/", views.suppliers, name="suppliers"),
    path("search/", views.site, name="site"),
]

api_urlpatterns = (
    [
        path("suppliers/", api.SupplierSearchView.as_view(), name="suppliers"),
        path("suggest/", api.SuggestView.as_view(), name="suggest"),
        path("search/", api.SiteSearchView.as_view(), name="search"),
    ],
    "search_api",
)
