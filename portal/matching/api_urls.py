"""API routes of matching, mounted under /api/v1/ by portal/api/urls.py."""

from django.urls import path  # noqa: F401 - routes are added as the endpoints land

urlpatterns: list = []
