"""Pages of statistics (its API routes live in api_urls.py, mounted under /api/v1/)."""

from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:key>.csv", views.figure_csv, name="csv"),
    path("report/<int:year>.pdf", views.report_pdf, name="report"),
    path("report/<int:year>/build", views.report_build, name="report_build"),
    path("report/<int:year>/status", views.report_status, name="report_status"),
]
