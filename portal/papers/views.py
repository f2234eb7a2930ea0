"""The PDF download of a paper: served from the per-revision cache, through the policy.

The answer is immediate either way: the stored file when it is built (200), otherwise a small
"正在生成" page (202, Retry-After, auto-refresh) while the Celery task builds it. A user the
policy does not let see the paper, or its PDF field, gets 404 — the same answer as for a paper
that does not exist.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from classification import audit, policy
from classification.tiers import Tier

from .cache import request_pdf
from .models import PaperPage, PdfStatus

RETRY_AFTER_SECONDS = 5


def _download_name(page: PaperPage) -> str:
    return f"{page.title}.pdf".replace("/", "-")


@require_safe
def paper_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    page = policy.get_visible_or_404(PaperPage.objects.live(), request.user, pk=pk)
    if not policy.field_visible(request.user, page, "pdf"):
        raise Http404("No such paper.")
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
    context["retry_after"] = RETRY_AFTER_SECONDS
    response = render(request, "papers/pdf_pending.html", context, status=202)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
