"""Pages of statistics (its API routes live in api_urls.py, mounted under /api/v1/)."""

from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:key>.csv", views.figure_csv, name="csv"),
]
