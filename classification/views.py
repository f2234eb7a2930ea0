"""Public pages of graded release: asking for access (申请查看) and one's own requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import policy, requests
from .declaration import Classified
from .forms import AccessRequestForm
from .models import AccessRequest


def classified_model(app_label: str, model: str):
    """The classifiable model named in a URL, or 404 (no hint which models exist)."""
    try:
        found = ContentType.objects.get_by_natural_key(app_label, model).model_class()
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    if found is None or not issubclass(found, Classified):
        raise Http404
    return found


@login_required
def request_access(request: HttpRequest, app_label: str, model: str, pk: int) -> HttpResponse:
    """Ask for the fields of an item one sees but cannot fully read; 404 if one cannot see it."""
    model_class = classified_model(app_label, model)
    obj = policy.get_visible_or_404(model_class._default_manager.all(), request.user, pk=pk)
    hidden = requests.hidden_fields(request.user, obj)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and hidden and form.is_valid():
        try:
            requests.submit(request.user, obj, form.cleaned_data["reason"], request)
        except PermissionDenied as error:  # pragma: no cover - checked above
            raise Http404 from error
        except ValidationError as error:
            form.add_error(None, error.messages[0] if error.messages else str(error))
        else:
            messages.success(
                request, _("Your request was sent. You will be told by e-mail of the decision.")
            )
            return redirect("classification:my_requests")
    pending = AccessRequest.objects.filter(
        user=request.user,
        content_type=ContentType.objects.get_for_model(model_class),
        object_id=obj.pk,
        status="pending",
    ).exists()
    return render(
        request,
        "classification/request_access.html",
        {
            "item": obj,
            "form": form,
            "hidden": [requests.field_label(model_class, name) for name in hidden],
            "pending": pending,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    rows = AccessRequest.objects.filter(user=request.user)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "classification/my_requests.html", {"page": page})
