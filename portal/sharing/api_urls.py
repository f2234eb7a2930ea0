"""Routes of the agencies' feeds under /api/v1/sharing/."""

from django.urls import path

from .feeds import view_for
from .pushes import PushView

app_name = "sharing"

urlpatterns = [
    path("enterprises/changes/", view_for("enterprises"), name="enterprise_changes"),
    path("notices/changes/", view_for("notices"), name="notice_changes"),
    path(
        "enterprises/snapshot/", view_for("enterprises", snapshot=True), name="enterprise_snapshot"
    ),
    path("notices/snapshot/", view_for("notices", snapshot=True), name="notice_snapshot"),
    path("enterprises/push/", PushView.as_view(), name="enterprise_push"),
]
