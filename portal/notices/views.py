"""Public-side views of notices besides the Wagtail pages: responding, response files, the
enterprise's own responses, the per-user feed address, following and marking interest.

Each view finds its notice through ``classification.policy`` (404 for what the user may not
see) and leaves the response rules to ``responses.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from classification import policy

from . import following
from .forms import ResponseForm
from .models import FeedToken, NoticePage, NoticeResponse, ResponseFile
from .responses import (
    ResponseError,
    can_read_response,
    response_state,
    submit_response,
    update_response,
    vetted_enterprises,
)


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Write or edit this enterprise's response (意向响应) to a notice."""
    notice = policy.get_visible_or_404(NoticePage.objects.live(), request.user, pk=notice_id)
    # A reader of the stub alone does not know what is asked: no response without the body.
    state = None if policy.stub_only(request.user, notice) else response_state(notice, request.user)
    if state is None:
        raise Http404("This notice takes no responses.")
    existing = state.response
    initial = {"message": existing.message} if existing else {}
    form = ResponseForm(request.POST or None, request.FILES or None, initial=initial)
    enterprises = state.enterprises or []
    if request.method == "POST" and state.can_respond and form.is_valid():
        try:
            if existing:
                update_response(
                    existing, request.user, form.cleaned_data["message"], form.cleaned_data["files"]
                )
                messages.success(request, _("Your response was updated."))
            else:
                chosen = _chosen_enterprise(request, enterprises)
                submit_response(
                    notice,
                    request.user,
                    chosen,
                    form.cleaned_data["message"],
                    form.cleaned_data["files"],
                )
                messages.success(request, _("Your response was sent to the notice's author."))
            return redirect(notice.url)
        except ResponseError as error:
            form.add_error(None if error.field == "non_field_errors" else "message", error.message)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "notices/respond.html",
        {"notice": notice, "state": state, "form": form, "enterprises": enterprises},
        status=status,
    )


def _chosen_enterprise(request: HttpRequest, enterprises):
    wanted = request.POST.get("enterprise")
    for enterprise in enterprises:
        if str(enterprise.pk) == wanted:
            return enterprise
    if len(enterprises) == 1 or not wanted:
        return enterprises[0]
    raise ResponseError(_("Choose one of your enterprises."), field="enterprise")


@login_required
def my_responses(request: HttpRequest) -> HttpResponse:
    """The responses of the user's enterprises, newest first."""
    ids = policy.enterprise_ids(request.user)
    responses = (
        NoticeResponse.objects.filter(enterprise_id__in=ids)
        .select_related("notice", "enterprise")
        .prefetch_related("files")
    )
    return render(
        request,
        "notices/my_responses.html",
        {"responses": responses, "enterprises": vetted_enterprises(request.user)},
    )


@login_required
def response_file(request: HttpRequest, file_id: int) -> FileResponse:
    """A response's file, for its enterprise, the notice's author and staff; 404 otherwise."""
    stored = get_object_or_404(ResponseFile.objects.select_related("response__notice"), pk=file_id)
    if not can_read_response(request.user, stored.response):
        raise Http404("No such file.")
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def feed_token(request: HttpRequest) -> HttpResponse:
    """The user's private feed addresses, with a button to issue new ones."""
    token = FeedToken.current(request.user)
    return render(request, "notices/feed_token.html", {"token": token})


@login_required
@require_POST
def regenerate_feed_token(request: HttpRequest) -> HttpResponse:
    FeedToken.regenerate(request.user)
    messages.success(request, _("New feed addresses issued; the old ones no longer work."))
    return redirect("notices:feed_token")


@login_required
@require_POST
def follow(request: HttpRequest, notice_id: int) -> HttpResponse:
    """关注 / 取消关注: any signed-in user who may see the notice."""
    notice = policy.get_visible_or_404(NoticePage.objects.all(), request.user, pk=notice_id)
    if request.POST.get("action") == "unfollow":
        following.unfollow(request.user, notice)
        messages.success(request, _("You no longer follow this notice."))
    else:
        following.follow(request.user, notice)
        messages.success(
            request, _("You follow this notice: amendments and deadline changes come by e-mail.")
        )
    return redirect(notice.url or "notices:feed_token")


@login_required
@require_POST
def interest(request: HttpRequest, notice_id: int) -> HttpResponse:
    """意向供应商名单: an owner of an approved enterprise joins or leaves the list."""
    notice = policy.get_visible_or_404(NoticePage.objects.live(), request.user, pk=notice_id)
    mine = {str(e.pk): e for e in vetted_enterprises(request.user)}
    enterprise = mine.get(request.POST.get("enterprise", ""))
    if enterprise is None:
        raise Http404("No such enterprise of yours.")
    try:
        if request.POST.get("action") == "withdraw":
            following.withdraw_interest(request.user, notice, enterprise)
            messages.success(request, _("Your enterprise left the interested-suppliers list."))
        else:
            teaming = request.POST.get("teaming") == "1"
            following.mark_interest(request.user, notice, enterprise, teaming)
            messages.success(request, _("Your enterprise is on the interested-suppliers list."))
    except following.FollowError as error:
        messages.error(request, str(error))
    return redirect(notice.url)
