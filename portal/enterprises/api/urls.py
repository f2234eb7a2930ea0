"""Routes of the registry's API, included under /api/v1/enterprises/."""

from django.urls import path

from .views import EnterpriseDetailView, EnterpriseListView

app_name = "enterprises"

urlpatterns = [
    path("", EnterpriseListView.as_view(), name="list"),
    path("<int:pk>/", EnterpriseDetailView.as_view(), name="detail"),
]
