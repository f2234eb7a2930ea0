"""The PDF cache: one ``PaperPdf`` per page revision, built once in the background.

``request_pdf`` is what the download view and the publish signal call: it finds the row for the
paper's live revision, creates it (status "building") and queues the build when there is none,
and queues the build again when an earlier attempt failed or has been stuck for too long (a
worker died mid-build). The build itself is ``tasks.build_paper_pdf``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import PaperPdf, PdfStatus

logger = logging.getLogger(__name__)
#: A build older than this with no result is presumed lost (worker killed) and queued again.
STALE_AFTER = timedelta(minutes=10)


def _queue(pdf: PaperPdf) -> None:
    """Send the build after the commit. A broker outage leaves the row "building"; the next
    download after ``STALE_AFTER`` queues it again, so nothing is lost."""
    from .tasks import build_paper_pdf

    page_id, revision_id = pdf.page_id, pdf.revision_id

    def send() -> None:
        try:
            build_paper_pdf.delay(page_id, revision_id)
        except OperationalError:
            logger.warning("Broker unavailable: PDF of paper %s queued later", page_id)

    transaction.on_commit(send)


def request_pdf(page, revision=None) -> PaperPdf | None:
    """The cache row for ``revision`` (default: the live revision), queued if it needs building.

    None when the page has no published revision (nothing to print).
    """
    revision = revision or page.live_revision
    if revision is None:
        return None
    try:
        with transaction.atomic():
            pdf, created = PaperPdf.objects.get_or_create(page_id=page.pk, revision=revision)
    except IntegrityError:  # two first requests at once: the other one created it
        pdf, created = PaperPdf.objects.get(page_id=page.pk, revision=revision), False
    if created:
        _queue(pdf)
        return pdf
    stale = pdf.status == PdfStatus.BUILDING and pdf.queued_at < timezone.now() - STALE_AFTER
    if pdf.status == PdfStatus.FAILED or stale or (pdf.status == PdfStatus.READY and not pdf.file):
        updated = PaperPdf.objects.filter(pk=pdf.pk, status=pdf.status).update(
            status=PdfStatus.BUILDING, queued_at=timezone.now(), error=""
        )
        if updated:  # only one of several concurrent requests re-queues it
            _queue(pdf)
        pdf.refresh_from_db()
    return pdf
