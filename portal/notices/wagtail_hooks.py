"""Admin side of notices: the responses viewset (list, inspect, Excel export), the hook that
puts every document download through the release policy and the workflow-only publishing.
The explorer, choosers and reports go through the release policy in ``classification``."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.documents import get_document_model
from wagtail.permissions import register_permission_policy

from classification import policy
from classification.wagtail_policy import register_admin_id_list, register_admin_object, url_ids

from . import documents
from .models import NoticePage, NoticeResponse
from .responses import can_read_response, sees_all_responses


def responses_for(user) -> QuerySet:
    """Responses an admin user reads: to notices they may see, all of them for notice staff,
    else those to their own notices."""
    queryset = NoticeResponse.objects.select_related("notice", "enterprise", "submitted_by")
    queryset = queryset.filter(notice__in=policy.visible(NoticePage.objects.all(), user))
    if sees_all_responses(user):
        return queryset
    return queryset.filter(notice__owner=user)


def _response_hidden(user, pk) -> bool:
    found = NoticeResponse.objects.filter(pk__in=url_ids([pk])).select_related("notice").first()
    return found is not None and not can_read_response(user, found)


class ResponseFilterSet(WagtailFilterSet):
    """Filter by notice, offering only the notices whose responses the user reads."""

    notice = django_filters.ModelChoiceFilter(
        label=_("Notice"), queryset=lambda request: _notices_with_responses(request.user)
    )

    class Meta:
        model = NoticeResponse
        fields = ["notice"]


def _notices_with_responses(user) -> QuerySet:
    return NoticePage.objects.filter(pk__in=responses_for(user).values("notice_id")).order_by(
        "title"
    )


class ResponseIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet:
        return responses_for(self.request.user).prefetch_related("files")


class ResponseInspectView(InspectView):
    def get_object(self, queryset=None):
        response = super().get_object(queryset)
        if not can_read_response(self.request.user, response):
            raise Http404
        return response


class NoticeResponseViewSet(ModelViewSet):
    """意向响应 in the admin: authors see the answers to their notices and export them."""

    model = NoticeResponse
    icon = "mail"
    menu_label = _("Notice responses")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = ResponseIndexView
    inspect_view_class = ResponseInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "notice",
        "enterprise",
        "message",
        "submitted_by",
        "created_at",
        "updated_at",
        "file_list",
    ]
    list_display = ["enterprise", "notice", "created_at", "updated_at"]
    filterset_class = ResponseFilterSet
    list_export = [
        "notice.title",
        "enterprise.name",
        "enterprise.uscc",
        "message",
        "submitted_by.email",
        "created_at",
        "updated_at",
        "file_list",
    ]
    export_headings = {
        "notice.title": _("Notice"),
        "enterprise.name": _("Enterprise"),
        "enterprise.uscc": _("Unified social credit code"),
        "message": _("Message"),
        "submitted_by.email": _("Submitted by"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
        "file_list": _("Files"),
    }
    export_filename = "notice-responses"
    form_fields = ["message"]


notice_response_viewset = NoticeResponseViewSet("notice_responses")

# For the document model itself (exact class): it takes precedence over the policy
# wagtail.documents registers for it, whichever registers first.
register_permission_policy(
    get_document_model(),
    documents.ReleaseDocumentPermissionPolicy(
        get_document_model(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
    ),
    exact_class=True,
)
for key in ("document_id", "wagtaildocs_chooser:pk", "wagtailadmin_api:documents:pk"):
    register_admin_object(key, documents.document_hidden)
document_label = get_document_model()._meta.label_lower
for key in ("wagtaildocs_chooser:chosen_multiple", document_label):
    register_admin_id_list(key, documents.documents_hidden)
register_admin_object("notice_responses:pk", _response_hidden)


@hooks.register("construct_admin_api", order=100)
def documents_in_the_admin_api(router) -> None:
    """After wagtail.documents' own endpoint: the same, without hidden notices' documents."""
    router.register_endpoint("documents", documents.ReleaseDocumentsAdminAPIViewSet)


@hooks.register("register_admin_viewset")
def register_response_viewset():
    return notice_response_viewset


@hooks.register("before_serve_document")
def serve_document_through_policy(document, request):
    documents.before_serve_document(document, request)


def _must_use_workflow(request, page_class) -> bool:
    from .models import NoticePage

    return issubclass(page_class, NoticePage) and not request.user.is_superuser


@hooks.register("construct_page_action_menu")
def hide_direct_publish(menu_items, request, context):
    """Notices are published by the workflow's last approval, not by the editor's button."""
    page = context.get("page")
    page_class = type(page) if page is not None else context.get("page_class")
    if page_class is not None and _must_use_workflow(request, page_class):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def _refuse_direct_publish(request, page_class):
    if (
        request.method == "POST"
        and "action-publish" in request.POST
        and _must_use_workflow(request, page_class)
    ):
        messages.error(
            request, _("Notices are published through the workflow: submit it for moderation.")
        )
        return redirect(request.get_full_path())
    return None


@hooks.register("before_edit_page")
def refuse_publish_on_edit(request, page):
    return _refuse_direct_publish(request, type(page.specific))


@hooks.register("before_create_page")
def refuse_publish_on_create(request, parent_page, page_class):
    return _refuse_direct_publish(request, page_class)
