"""Celery tasks of papers: building a revision's PDF on the "pdf" queue.

The task takes primary keys (page, revision), acknowledges late and is idempotent: a
redelivered or duplicate task finds the PDF ready and returns, so a revision is rendered once.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision

from .models import PaperPage, PaperPdf, PdfStatus
from .pdf import render_pdf

logger = logging.getLogger(__name__)


def _file_name(page: PaperPage, revision: Revision) -> str:
    return f"paper-{page.pk}-rev-{revision.pk}.pdf"


@shared_task(acks_late=True, ignore_result=True)
def build_paper_pdf(page_id: int, revision_id: int) -> str:
    """Render the PDF of page ``page_id`` as of revision ``revision_id`` and store it.

    Returns the outcome ("ready", "cached", "gone", "failed") for logs and tests.
    """
    page = PaperPage.objects.filter(pk=page_id).first()
    revision = Revision.page_revisions.filter(pk=revision_id, object_id=str(page_id)).first()
    if page is None or revision is None:
        return "gone"
    pdf, _created = PaperPdf.objects.get_or_create(page=page, revision=revision)
    if pdf.is_ready:
        return "cached"
    try:
        rendered = render_pdf(page, revision)
    except Exception as error:
        logger.exception("PDF of paper %s revision %s failed", page_id, revision_id)
        PaperPdf.objects.filter(pk=pdf.pk).update(status=PdfStatus.FAILED, error=str(error)[:2000])
        return "failed"
    with transaction.atomic():
        pdf = PaperPdf.objects.select_for_update().get(pk=pdf.pk)
        if pdf.is_ready:  # a concurrent duplicate finished first
            return "cached"
        if pdf.file:
            pdf.file.delete(save=False)
        pdf.file.save(_file_name(page, revision), ContentFile(rendered.content), save=False)
        pdf.status = PdfStatus.READY
        pdf.pages = rendered.pages
        pdf.error = ""
        pdf.built_at = timezone.now()
        pdf.save()
    return "ready"
