"""Admin for papers: the PDF cache, so editors see which revision's PDF is built or failed.

Every view of it lists and opens only the PDFs of papers the release policy lets the user see.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet

from classification import policy
from classification.wagtail_policy import hidden_among, register_admin_object

from .models import PaperPage, PaperPdf


def visible_pdfs(user):
    visible = policy.visible(PaperPage.objects.all(), user)
    return PaperPdf.objects.filter(page__in=visible).order_by("-queued_at", "-pk")


def _pdf_hidden(user, pk) -> bool:
    return hidden_among(PaperPdf.objects.all(), visible_pdfs(user), [pk])


# Every view of the viewset (history, usage and copy too) answers 404 for a hidden paper's PDF.
register_admin_object("paper_pdfs:pk", _pdf_hidden)


class _VisiblePdfs:
    """Lists and single-object views narrowed to the visible papers' PDFs (404 otherwise)."""

    def get_queryset(self):
        return visible_pdfs(self.request.user)

    def get_object(self, queryset=None):
        pk = unquote(str(self.kwargs[self.pk_url_kwarg]))
        return get_object_or_404(visible_pdfs(self.request.user), pk=pk)

    def get_base_queryset(self):
        return visible_pdfs(self.request.user).select_related("page", "revision")


class PdfIndexView(_VisiblePdfs, generic.IndexView):
    pass


class PdfInspectView(_VisiblePdfs, generic.InspectView):
    pass


class PdfEditView(_VisiblePdfs, generic.EditView):
    pass


class PdfDeleteView(_VisiblePdfs, generic.DeleteView):
    pass


class PaperPdfViewSet(ModelViewSet):
    model = PaperPdf
    index_view_class = PdfIndexView
    inspect_view_class = PdfInspectView
    edit_view_class = PdfEditView
    delete_view_class = PdfDeleteView
    icon = "doc-full"
    menu_label = _("Paper PDFs")
    add_to_admin_menu = False
    list_display = ["page", "revision", "status", "pages", "built_at"]
    list_filter = ["status"]
    form_fields = ["status"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_paper_pdf_viewset() -> PaperPdfViewSet:
    return PaperPdfViewSet("paper_pdfs")
