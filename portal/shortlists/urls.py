"""Pages of shortlists (its API routes live in api_urls.py, mounted under /api/v1/)."""

from django.urls import path  # noqa: F401 - routes are added as the pages land

app_name = "shortlists"

urlpatterns: list = []
