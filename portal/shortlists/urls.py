"""Pages of shortlists (候选供应商名单), mounted at /shortlists/."""

from django.urls import path

from . import views

app_name = "shortlists"

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/share/<int:group_pk>/remove/", views.unshare, name="unshare"),
    path("<int:pk>/entries/<int:entry_pk>/note/", views.note, name="note"),
    path("<int:pk>/entries/<int:entry_pk>/remove/", views.remove, name="remove"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
]
