"""/api/v1/papers/ routes (included by portal/api/urls.py)."""

from django.urls import path

from .api import PaperDetailView, PaperListView

urlpatterns = [
    path("", PaperListView.as_view(), name="paper-list"),
    path("<int:pk>/", PaperDetailView.as_view(), name="paper-detail"),
]
