"""API routes of matching, mounted under /api/v1/ by portal/api/urls.py."""

from django.urls import path

from .api import EnterpriseMatchesView, NoticeMatchesView

urlpatterns = [
    path("notices/<int:pk>/matches/", NoticeMatchesView.as_view(), name="notice-matches"),
    path(
        "enterprises/<int:pk>/matches/", EnterpriseMatchesView.as_view(), name="enterprise-matches"
    ),
]
