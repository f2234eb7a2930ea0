"""Serving Wagtail documents through the release policy (``before_serve_document`` hook).

Decision, per document:
- attached to one or more notices: served when the user may see at least one of those notices
  *and* its ``attachments`` field (a vetted field by default); the download is audited when the
  notice or the field is at the vetted or targeted tier;
- used elsewhere: another app (papers) registers a ``document_visibility`` Wagtail hook,
  ``fn(document, user) -> bool | None``; the first True or False decides;
- attached to nothing: served only to users who may edit it in the admin (the uploader and
  document managers). An orphan file is a draft, not a publication: nobody reaches it by
  guessing /documents/<id>/<name>.
Everybody else gets 404, never 403, so that a restricted document's existence is not confirmed.
Files themselves live in private storage (``models.documents``): this view is the only way out.
"""

from __future__ import annotations

from django.http import Http404
from wagtail import hooks

from classification import audit, policy
from classification.tiers import Tier, rank

from .models import NoticePage

HOOK = "document_visibility"


def notice_allows(document, user, request=None) -> bool | None:
    """True/False when ``document`` is a notice attachment; None when it is not one."""
    notice_ids = list(document.notice_attachments.values_list("notice_id", flat=True))
    if not notice_ids:
        return None
    for notice in NoticePage.objects.filter(pk__in=notice_ids):
        if policy.can_view(user, notice) and policy.field_visible(user, notice, "attachments"):
            if rank(policy.field_tier(notice, "attachments")) >= rank(Tier.VETTED):
                audit.record(
                    user,
                    notice,
                    "classification.document.downloaded",
                    request,
                    detail={"document": document.pk, "title": document.title[:100]},
                )
            return True
    return False


def document_allowed(document, user, request=None) -> bool:
    decided = notice_allows(document, user, request)
    if decided is not None:
        return decided
    for fn in hooks.get_hooks(HOOK):
        decided = fn(document, user)
        if decided is not None:
            return bool(decided)
    return bool(user.is_authenticated and document.is_editable_by_user(user))


def before_serve_document(document, request):
    if not document_allowed(document, request.user, request):
        raise Http404("No such document.")
