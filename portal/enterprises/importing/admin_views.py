"""Wagtail admin pages: import a list (dry run first), export, and review claims.

The import runs synchronously within the request, so the upload limit (50 MB, 50,000 rows)
keeps it to about a minute; the report lists every row error. Register the URLs with
``register_admin_urls`` (see ``admin_urls``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classification import policy

from .. import claims
from ..exporting import default_queryset, export
from ..models import ClaimState, Enterprise, EnterpriseClaim
from ..workflow import is_reviewer
from . import MAX_UPLOAD_BYTES, FileRefused, run_import


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv, up to 50 MB)"))
    dry_run = forms.BooleanField(
        label=_("Dry run: check only, write nothing"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 50 MB; split it into smaller files."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Only .xlsx and .csv files can be imported."))
        return upload


def _require_staff_reviewer(request: HttpRequest) -> None:
    if not is_reviewer(request.user):
        raise PermissionDenied


def import_view(request: HttpRequest) -> HttpResponse:
    _require_staff_reviewer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = run_import(
                upload, upload.name, dry_run=form.cleaned_data["dry_run"], user=request.user
            )
        except FileRefused as error:
            form.add_error("file", str(error))
    return render(request, "enterprises/admin/import_form.html", {"form": form, "report": report})


def export_view(request: HttpRequest) -> FileResponse:
    _require_staff_reviewer(request)
    include_all = request.GET.get("all") == "1"
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes it
    profiles = policy.visible(default_queryset(include_all=include_all), request.user)
    export(Path(handle.name), profiles)
    handle.seek(0)
    name = f"enterprises-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name)


def pending_claims_for(user) -> QuerySet[EnterpriseClaim]:
    """The pending claims of the profiles ``user`` may see, oldest first: the claim queue
    and the dashboard's count."""
    return (
        EnterpriseClaim.objects.filter(
            state=ClaimState.PENDING,
            enterprise__in=policy.visible(Enterprise.objects.all(), user),
        )
        .select_related("enterprise", "claimant")
        .order_by("created_at")
    )


def claim_queue(request: HttpRequest) -> HttpResponse:
    _require_staff_reviewer(request)
    pending = pending_claims_for(request.user)
    return render(request, "enterprises/admin/import_claims.html", {"claims": pending})


def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff_reviewer(request)
    claim = get_object_or_404(
        EnterpriseClaim,
        pk=pk,
        enterprise__in=policy.visible(Enterprise.objects.all(), request.user),
    )
    if request.method != "POST":
        return redirect("enterprises_claims")
    try:
        if request.POST.get("decision") == "confirm":
            claims.confirm(request.user, claim)
            messages.success(request, _("Claim confirmed; the claimant now owns the profile."))
        else:
            claims.reject(request.user, claim, request.POST.get("reason", ""))
            messages.success(request, _("Claim rejected; the claimant was told why."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("enterprises_claims")


def admin_urls() -> list:
    return [
        path("enterprises/import/", import_view, name="enterprises_import"),
        path("enterprises/export/", export_view, name="enterprises_export"),
        path("enterprises/claims/", claim_queue, name="enterprises_claims"),
        path("enterprises/claims/<int:pk>/", claim_decide, name="enterprises_claim_decide"),
    ]
