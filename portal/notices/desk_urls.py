"""Routes of the procurement desk (需求发布台), mounted at /desk/."""

from django.urls import path

from . import desk_views as views

app_name = "desk"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/deadline/", views.deadline, name="deadline"),
]
