"""API routes of statistics, mounted under /api/v1/ by portal/api/urls.py."""

from django.urls import include, path

from .api import FigureListView, FigureView

routes = [
    path("", FigureListView.as_view(), name="list"),
    path("<slug:key>/", FigureView.as_view(), name="figure"),
]

urlpatterns = [path("statistics/", include((routes, "statistics-api")))]
