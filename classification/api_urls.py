"""Routes of the release API under /api/v1/release/."""

from django.urls import path

from .api import GrantDetailView, GrantListView, ReleaseView

ITEM = "release/<slug:app_label>/<slug:model>/<int:pk>/"

urlpatterns = [
    path(ITEM, ReleaseView.as_view(), name="release"),
    path(f"{ITEM}grants/", GrantListView.as_view(), name="release_grants"),
    path(f"{ITEM}grants/<str:principal>/", GrantDetailView.as_view(), name="release_grant"),
]
