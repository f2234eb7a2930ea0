"""Scanned qualification certificates, streamed from private storage after the policy says yes.

A reader needs the profile (``get_visible_or_404``) *and* the ``qualification_documents`` field
(``field_visible``); owners and reviewers always may. Everyone else gets 404, and every
download is written to the audit log.
"""

from __future__ import annotations

import mimetypes
import os

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from classification import audit, policy
from portal.core.storage import private_storage

from ..models import Enterprise
from ..workflow import is_owner, is_reviewer, open_version
from .drafts import editable_data

DOCUMENT_FIELD = "qualification_documents"


def _stream(request: HttpRequest, enterprise: Enterprise, name: str, detail: dict) -> FileResponse:
    try:
        handle = private_storage().open(name, "rb")
    except FileNotFoundError as error:
        raise Http404("The document is missing.") from error
    audit.record(
        request.user, enterprise, "classification.document.downloaded", request, detail=detail
    )
    filename = os.path.basename(name)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _may_download(request: HttpRequest, enterprise: Enterprise) -> bool:
    user = request.user
    if is_owner(user, enterprise) or is_reviewer(user):
        return True
    return policy.can_view(user, enterprise) and policy.field_visible(
        user, enterprise, DOCUMENT_FIELD
    )


@require_GET
def qualification_document(request: HttpRequest, pk: int, qid: int) -> FileResponse:
    """A live (approved) qualification's document."""
    enterprise = Enterprise.objects.filter(pk=pk).first()
    if enterprise is None or not _may_download(request, enterprise):
        raise Http404("No such document.")
    qualification = enterprise.qualifications.filter(pk=qid).first()
    if qualification is None or not qualification.document:
        raise Http404("No such document.")
    return _stream(
        request, enterprise, qualification.document.name, {"qualification": qualification.pk}
    )


@require_GET
def draft_document(request: HttpRequest, pk: int, index: int) -> FileResponse:
    """A document in the working copy or the version under review: owners and reviewers only."""
    enterprise = Enterprise.objects.filter(pk=pk).first()
    user = request.user
    if enterprise is None or not (is_owner(user, enterprise) or is_reviewer(user)):
        raise Http404("No such document.")
    version = open_version(enterprise)
    data = version.data if version is not None else editable_data(enterprise)[0]
    items = data.get("qualifications") or []
    name = items[index].get("document") if 0 <= index < len(items) else ""
    if not name:
        raise Http404("No such document.")
    return _stream(request, enterprise, name, {"draft_qualification": index})
