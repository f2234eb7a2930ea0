"""Pages for claiming an imported profile (enterprise users) — the service is ``claims``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import claims
from ..models import EnterpriseClaim

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class ClaimForm(forms.Form):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=30)
    message = forms.CharField(
        label=_("Message to the reviewer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your position in the enterprise and how the reviewer can verify it."),
    )
    document = forms.FileField(
        label=_("Letter of authorisation (PDF or image, up to 10 MB)"), required=False
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and document.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return document


@login_required
def claim_profile(request: HttpRequest) -> HttpResponse:
    """Claim form and the user's claims with their state."""
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            claims.submit_claim(
                request.user,
                form.cleaned_data["uscc"],
                form.cleaned_data["message"],
                form.cleaned_data.get("document"),
            )
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("Only verified enterprise users may claim."))
        except ValidationError as error:
            form.add_error("uscc", error)
        else:
            messages.success(request, _("Your claim was sent to the reviewers."))
            return redirect("enterprises:claim")
    own = EnterpriseClaim.objects.filter(claimant=request.user).select_related("enterprise")
    return render(
        request,
        "enterprises/claim.html",
        {"form": form, "claims": own, "may_claim": claims.may_claim(request.user)},
    )


@login_required
@require_POST
def withdraw_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(EnterpriseClaim, pk=pk, claimant=request.user)
    try:
        claims.withdraw(request.user, claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("enterprises:claim")
