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
    *[
        route
        for kind in ("pdf", "xlsx")
        for route in (
            path(
                f"<int:pk>/export.{kind}", views.export_file, {"kind": kind}, name=f"export_{kind}"
            ),
            path(
                f"<int:pk>/export.{kind}/build",
                views.export_build,
                {"kind": kind},
                name=f"export_{kind}_build",
            ),
            path(
                f"<int:pk>/export.{kind}/status",
                views.export_status,
                {"kind": kind},
                name=f"export_{kind}_status",
            ),
        )
    ],
]
