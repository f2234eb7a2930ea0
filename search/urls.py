"""The site search page and its API route (included under /api/v1/)."""

from django.urls import path

from . import api, views

app_name = "search"

urlpatterns = [path("search/", views.site, name="site")]

api_urlpatterns = ([path("search/", api.SiteSearchView.as_view(), name="search")], "search_api")
