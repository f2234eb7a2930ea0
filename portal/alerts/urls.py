"""Pages of alerts (its API routes live in api_urls.py, mounted under /api/v1/)."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.saved_search_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/toggle/", views.toggle, name="toggle"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
