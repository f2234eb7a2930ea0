"""意向响应: who may answer a notice, and answering it (create, edit until the deadline).

The rules live here once, for the web form and the API alike:
- only owners of an approved enterprise (vetted enterprises) answer, and only notices they may
  see (the release policy) that are demand notices, released and open;
- one response per enterprise per notice (also a database constraint);
- the response can be edited until the deadline, not after.
The notice's author is told by e-mail (``portal.core.mail``: rendered now, sent by Celery after
the commit).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from classification import policy
from portal.core.mail import send_templated
from portal.enterprises.models import Enterprise

from .models import Kind, NoticePage, NoticeResponse, ResponseFile


class ResponseError(Exception):
    """A refused response, with the field it concerns (for forms and the API's error shape)."""

    def __init__(self, message: str, code: str = "invalid", field: str = "non_field_errors"):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


@dataclass
class ResponseState:
    """What the notice page offers ``user``: a form, their response, or why not."""

    can_respond: bool
    reason: str = ""
    response: NoticeResponse | None = None
    enterprises: list[Enterprise] | None = None


def vetted_enterprises(user) -> list[Enterprise]:
    """The approved enterprises ``user`` owns (through the policy's own definition)."""
    ids = policy.enterprise_ids(user)
    return list(Enterprise.objects.filter(pk__in=ids).order_by("name")) if ids else []


def accepts_responses(notice: NoticePage) -> bool:
    return notice.kind == Kind.DEMAND and notice.live


def own_response(notice: NoticePage, user) -> NoticeResponse | None:
    ids = policy.enterprise_ids(user)
    if not ids:
        return None
    return notice.responses.filter(enterprise_id__in=ids).prefetch_related("files").first()


def response_state(notice: NoticePage, user) -> ResponseState | None:
    """None when the notice takes no responses at all (not a demand notice)."""
    if not accepts_responses(notice):
        return None
    if not user.is_authenticated:
        return ResponseState(False, _("Log in as a vetted enterprise to respond."))
    enterprises = vetted_enterprises(user)
    if not enterprises:
        return ResponseState(
            False, _("Only enterprises whose profile a reviewer approved may respond.")
        )
    existing = own_response(notice, user)
    if not notice.is_open:
        return ResponseState(False, _("The deadline has passed; responses are closed."), existing)
    return ResponseState(True, "", existing, enterprises)


def _check(notice: NoticePage, user, enterprise: Enterprise) -> None:
    if not policy.can_view(user, notice):
        raise ResponseError(_("No such notice."), code="not_found")
    if not accepts_responses(notice):
        raise ResponseError(_("Only published demand notices take responses."), code="not_open")
    if enterprise.pk not in policy.enterprise_ids(user):
        raise ResponseError(
            _("Only enterprises whose profile a reviewer approved may respond."),
            code="not_vetted",
            field="enterprise",
        )
    if not notice.is_open:
        raise ResponseError(_("The deadline has passed; responses are closed."), code="closed")


def _store_files(response: NoticeResponse, files) -> None:
    for upload in files or []:
        ResponseFile.objects.create(
            response=response, file=upload, name=upload.name[:200], size=upload.size
        )


def submit_response(
    notice: NoticePage, user, enterprise: Enterprise, message: str, files=()
) -> NoticeResponse:
    """Create ``enterprise``'s response to ``notice``, or raise ``ResponseError``."""
    _check(notice, user, enterprise)
    message = (message or "").strip()
    if not message:
        raise ResponseError(_("Write a message."), field="message")
    try:
        with transaction.atomic():
            response = NoticeResponse.objects.create(
                notice=notice, enterprise=enterprise, message=message, submitted_by=user
            )
            _store_files(response, files)
    except IntegrityError as error:
        raise ResponseError(
            _("Your enterprise has already responded to this notice; edit that response instead."),
            code="duplicate",
        ) from error
    _notify_author(response)
    return response


def update_response(response: NoticeResponse, user, message: str, files=()) -> NoticeResponse:
    """Edit a response until the notice's deadline; new files are added to the old ones."""
    notice = response.notice.specific
    _check(notice, user, response.enterprise)
    message = (message or "").strip()
    if not message:
        raise ResponseError(_("Write a message."), field="message")
    with transaction.atomic():
        response.message = message
        response.save(update_fields=["message", "updated_at"])
        _store_files(response, files)
    return response


def _notify_author(response: NoticeResponse) -> None:
    notice = response.notice
    author = notice.owner
    if author is None or not author.email:
        return
    from django.urls import reverse

    admin_url = settings.SITE_URL.rstrip("/") + reverse(
        "notice_responses:inspect", args=[response.pk]
    )
    send_templated(
        "notice_response",
        [author.email],
        {
            "notice": notice,
            "response": response,
            "enterprise": response.enterprise,
            "url": admin_url,
        },
    )


def can_read_response(user, response: NoticeResponse) -> bool:
    """The responding enterprise's owners, the notice's author and notice staff — each only
    while they may see the notice (a response names it)."""
    if not user.is_authenticated or not policy.can_view(user, response.notice):
        return False
    if response.enterprise_id in policy.enterprise_ids(user):
        return True
    return sees_all_responses(user) or response.notice.owner_id == user.pk


def sees_all_responses(user) -> bool:
    """Staff who handle notices read every response (editors, classification officers)."""
    from portal.accounts import roles

    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or roles.role_names(user) & {roles.EDITOR, roles.CLASSIFICATION_OFFICER}
        )
    )
