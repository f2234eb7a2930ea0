"""Admin routes of the reviewers' pages, registered under /admin/enterprises/review/."""

from __future__ import annotations

from django.urls import path

from .browse import EnterpriseIndexView
from .queue import ReviewQueueView
from .review import ReviewView

app_name = "enterprises_review"

urlpatterns = [
    path("", ReviewQueueView.as_view(), name="queue"),
    path("results/", ReviewQueueView.as_view(results_only=True), name="queue_results"),
    path("all/", EnterpriseIndexView.as_view(), name="browse"),
    path("all/results/", EnterpriseIndexView.as_view(results_only=True), name="browse_results"),
    path("<int:pk>/", ReviewView.as_view(), name="review"),
]
