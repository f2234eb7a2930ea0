from django.urls import path

from . import views

app_name = "classification"

urlpatterns = [
    path(
        "request/<slug:app_label>/<slug:model>/<int:pk>/",
        views.request_access,
        name="request_access",
    ),
    path("requests/", views.my_requests, name="my_requests"),
]
