"""Scanned certificates and claim letters, streamed from private storage after the policy
says yes.

A live certificate needs the profile (``can_view``) *and* its ``qualification_documents`` field
(``field_visible``), which owners, grantees, officers and the reviewers acting on the profile
always read. A draft's certificates and a claim's letter of authorisation (授权委托书) are read
by the people acting on them (``policy.acts_on``: the reviewers of a version waiting for review
or of a pending claim; officers) and by their owners or claimant. Everyone else gets 404, and
every download is written to the audit log.

PDFs and images open in the browser (inline), so that a reviewer reads a scan beside the review
page; the type comes from the stored name, which the upload check made agree with the file's
first bytes (``forms.uploads``), and ``nosniff`` keeps the browser to it. Anything else is a
download.
"""

from __future__ import annotations

import mimetypes
import os

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from classification import audit, policy
from portal.core.storage import private_storage

from ..models import ClaimState, Enterprise, EnterpriseClaim
from ..workflow import is_owner, open_version
from .drafts import editable_data

DOCUMENT_FIELD = "qualification_documents"
#: Types a browser shows itself and that run no script of ours: opened inline.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


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
        handle,
        as_attachment=content_type not in INLINE_TYPES,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _may_download(request: HttpRequest, enterprise: Enterprise) -> bool:
    user = request.user
    return policy.can_view(user, enterprise) and policy.field_visible(
        user, enterprise, DOCUMENT_FIELD
    )


def _acts_on(user, enterprise: Enterprise) -> bool:
    """Owners, and the reviewers and officers the policy has acting on the profile now."""
    return is_owner(user, enterprise) or policy.acts_on(user, enterprise)


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
    if enterprise is None or not _acts_on(request.user, enterprise):
        raise Http404("No such document.")
    version = open_version(enterprise)
    data = version.data if version is not None else editable_data(enterprise)[0]
    items = data.get("qualifications") or []
    name = items[index].get("document") if 0 <= index < len(items) else ""
    if not name:
        raise Http404("No such document.")
    return _stream(request, enterprise, name, {"draft_qualification": index})


@require_GET
def claim_letter(request: HttpRequest, pk: int) -> FileResponse:
    """A claim's letter of authorisation: for its claimant, for the reviewers deciding it while
    it is pending, and for officers."""
    claim = EnterpriseClaim.objects.select_related("enterprise").filter(pk=pk).first()
    user = request.user
    if claim is None or not claim.document:
        raise Http404("No such document.")
    allowed = (user.is_authenticated and claim.claimant_id == user.pk) or policy.is_officer(user)
    if not allowed and claim.state == ClaimState.PENDING:
        allowed = policy.acts_on(user, claim.enterprise)
    if not allowed:
        raise Http404("No such document.")
    return _stream(request, claim.enterprise, claim.document.name, {"claim": claim.pk})
