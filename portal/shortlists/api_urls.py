"""API routes of shortlists, mounted under /api/v1/ by portal/api/urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("shortlists/", api.ShortlistListView.as_view(), name="shortlists"),
    path("shortlists/<int:pk>/", api.ShortlistDetailView.as_view(), name="shortlist"),
    path(
        "shortlists/<int:pk>/entries/",
        api.ShortlistEntriesView.as_view(),
        name="shortlist_entries",
    ),
]
