from django.urls import path

from .views import dashboard

app_name = "enterprises"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
