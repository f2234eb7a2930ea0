"""Pages of matching (its API routes live in api_urls.py, mounted under /api/v1/)."""

from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("notices/<int:pk>/", views.notice_matches, name="notice"),
]
