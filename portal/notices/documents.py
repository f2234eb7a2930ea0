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

In the admin (listing, chooser, edit and usage pages) a document attached only to notices the
user may not see is left out and answers 404, through ``ReleaseDocumentPermissionPolicy``
and the admin guard of ``classification.wagtail_policy``.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from classification import audit, policy
from classification.tiers import Tier, rank
from classification.wagtail_policy import url_ids

from .models import NoticeAttachment, NoticePage

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


def hidden_documents(user) -> Q | None:
    """A filter on ``pk``: the documents attached to notices of which ``user`` may see none
    (None when nothing is hidden from them)."""
    if policy.is_officer(user):
        return None
    seen = policy.visible(NoticePage.objects.all(), user).values("pk")
    attached = NoticeAttachment.objects.values("document_id")
    shown = NoticeAttachment.objects.filter(notice__in=seen).values("document_id")
    return Q(pk__in=attached) & ~Q(pk__in=shown)


def documents_hidden(user, document_ids) -> bool:
    """Whether one of ``document_ids`` is hidden from ``user`` (ids as URLs carry them)."""
    from wagtail.documents import get_document_model

    hidden = hidden_documents(user)
    ids = url_ids(document_ids)
    return bool(hidden is not None and ids) and (
        get_document_model().objects.filter(hidden, pk__in=ids).exists()
    )


def document_hidden(user, document_id) -> bool:
    return documents_hidden(user, [document_id])


class ReleaseDocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's document permissions without the documents of notices the user may not see."""

    def instances_user_has_any_permission_for(self, user, actions):
        documents = super().instances_user_has_any_permission_for(user, actions)
        hidden = hidden_documents(user)
        return documents if hidden is None else documents.exclude(hidden)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if document_hidden(user, instance.pk):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


class ReleaseDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents (list and detail) without those of notices the user may not
    see; Wagtail's own endpoint consults no permission policy."""

    def get_queryset(self):
        documents = super().get_queryset()
        hidden = hidden_documents(self.request.user)
        return documents if hidden is None else documents.exclude(hidden)
