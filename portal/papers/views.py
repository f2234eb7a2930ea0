"""The PDF download of a paper: served from the per-revision cache, through the policy.

The answer is immediate either way: the stored file when it is built (200), otherwise a small
"正在生成" page (202, Retry-After) while the Celery task builds it; the page polls the JSON
status (``paper_pdf_status``, through js/build-progress.js) and offers the download when ready.
A user the policy does not let see the paper, or its PDF field, gets 404 — the same answer as
for a paper that does not exist.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from classification import audit, policy
from classification.tiers import Tier

from .cache import request_pdf
from .models import PaperPage, PdfStatus

RETRY_AFTER_SECONDS = 5


def _download_name(page: PaperPage) -> str:
    return f"{page.title}.pdf".replace("/", "-")


def _readable_paper(request: HttpRequest, pk: int) -> PaperPage:
    page = policy.get_visible_or_404(PaperPage.objects.live(), request.user, pk=pk)
    if not policy.field_visible(request.user, page, "pdf"):
        raise Http404("No such paper.")
    return page


def _status(page: PaperPage, pdf) -> dict:
    """The waiting page's poll, in the shape of ``portal.core.builds.status``; WeasyPrint
    gives no progress for a paper, so ``progress`` is unknown (an indeterminate bar)."""
    if pdf is None:
        raise Http404("No such paper.")
    if pdf.is_ready:
        state, message = "ready", _("The PDF is ready.")
    elif pdf.status == PdfStatus.FAILED:
        state, message = "failed", _("Building the PDF failed. It has been queued again.")
    else:
        state, message = "building", _("The PDF is being generated…")
    url = reverse("papers:pdf", args=[page.pk])
    return {
        "state": state,
        "progress": None,
        "message": message,
        "download_url": url if state == "ready" else None,
    }


@require_safe
def paper_pdf_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the waiting page polls: queues a lost or failed build again, renders nothing."""
    page = _readable_paper(request, pk)
    return JsonResponse(_status(page, request_pdf(page)), headers={"Cache-Control": "no-store"})


@require_safe
def paper_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    page = _readable_paper(request, pk)
    pdf = request_pdf(page)
    if pdf is None:
        raise Http404("No such paper.")
    if pdf.is_ready:
        if policy.field_tier(page, "pdf") != Tier.PUBLIC:
            audit.record(request.user, page, "classification.paper.downloaded", request)
        response = FileResponse(
            pdf.file.open("rb"),
            content_type="application/pdf",
            as_attachment=request.GET.get("inline") != "1",
            filename=_download_name(page),
        )
        response["Cache-Control"] = "private, max-age=300"
        return response
    context = {"page": page, "failed": pdf.status == PdfStatus.FAILED}
    context["status"] = _status(page, pdf)
    response = render(request, "papers/pdf_pending.html", context, status=202)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
