"""Admin for papers: the PDF cache, so editors see which revision's PDF is built or failed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import PaperPdf


class PaperPdfViewSet(ModelViewSet):
    model = PaperPdf
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
