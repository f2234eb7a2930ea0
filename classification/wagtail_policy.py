"""The release policy inside the Wagtail admin, plugged into Wagtail's own machinery.

- ``ReleasePagePermissionPolicy`` replaces Wagtail's page permission policy in its registry:
  every admin listing that asks it (explorer, search, admin API, reports, site history,
  workflow reports, choosers built on it) leaves out the pages the release policy hides.
- ``ReleasePagePermissionTester`` is what classifiable pages answer to
  ``permissions_for_user``: every admin view of one page (edit, history, revisions, compare,
  preview, workflow, lock, copy, move, delete…) asks it first, and it answers 404 for a page
  the user may not see.
- ``AdminReleaseGuard`` (middleware) answers 404 to any admin URL that names a hidden object,
  also where a view never asks the tester (the chooser's "chosen" endpoints, bulk actions);
  apps register the objects their URLs name with ``register_admin_object``.
- Dashboard panels and Wagtail's moderation e-mails are filtered the same way.
- ``ReleasePanel`` shows an item's release settings read-only in the page editor, with a link
  to the officers' release page: the settings are not page content.

Unreleased items follow the same rule as on the site: their owners and the people acting on
their current workflow step (``workflow_step_actors``) see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import policy
from .requests import field_label
from .tiers import Tier

#: Admin URL kwargs that name a page.
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
_VISIBLE_PAGES = "_release_visible_pages"


# -- Who acts on a page now ------------------------------------------------------------------


def workflow_step_actors(model, user) -> Q | None:
    """Pages in a Wagtail workflow whose current task is a group approval by one of
    ``user``'s groups (定密审核 by classification officers, 发布审批 by publishers).

    The approvers of a workflow's last step also see its page from their approval until the
    approved revision is published (at once, or at its scheduled go-live): publishing is part
    of their act, and Wagtail checks their right to publish the page while it does so.
    """
    from wagtail.models import WorkflowState

    groups = policy.group_ids(user)
    if not groups:
        return None
    unpublished_since = Page.objects.filter(
        Q(last_published_at__isnull=True)
        | Q(last_published_at__lt=OuterRef("current_task_state__finished_at")),
        pk=Cast(OuterRef("object_id"), BigIntegerField()),
    )
    states = (
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            current_task_state__task__groupapprovaltask__groups__in=groups,
        )
        .annotate(pending=Exists(unpublished_since))
        .filter(
            Q(status=WorkflowState.STATUS_IN_PROGRESS)
            | Q(status=WorkflowState.STATUS_APPROVED, pending=True)
        )
    )
    return Q(pk__in=states.annotate(item=Cast("object_id", BigIntegerField())).values("item"))


# -- Which pages a user may not see ------------------------------------------------------------


def classified_page_models() -> list[type[Page]]:
    return [m for m in policy.classified_models() if issubclass(m, Page)]


def hidden_pages(user) -> Q | None:
    """A filter on ``pk`` matching the classifiable pages ``user`` may not see (None: none)."""
    if policy.is_officer(user):
        return None
    condition = None
    for model in classified_page_models():
        every = model._default_manager.all()
        hidden = every.exclude(pk__in=policy.visible(every, user).values("pk")).values("pk")
        condition = Q(pk__in=hidden) if condition is None else condition | Q(pk__in=hidden)
    return condition


def without_hidden(pages: QuerySet, user) -> QuerySet:
    hidden = hidden_pages(user)
    return pages if hidden is None else pages.exclude(hidden)


def page_visible(user, page) -> bool:
    """Whether ``user`` may see ``page`` in the admin (remembered for the request)."""
    model = page.specific_class if isinstance(page, Page) else type(page)
    if page.pk is None or model is None or model not in policy.classified_models():
        return True  # a page being created, or not classifiable
    if policy.is_officer(user):
        return True
    known = getattr(user, _VISIBLE_PAGES, None)
    if known is None:
        known = {}
        setattr(user, _VISIBLE_PAGES, known)
    if page.pk not in known:
        every = model._default_manager.filter(pk=page.pk)
        known[page.pk] = policy.visible(every, user).exists()
    return known[page.pk]


def visible_page_ids(user, pages: Iterable[Page]) -> set[int]:
    """The ids among ``pages`` that ``user`` may see (one query per classifiable model)."""
    pages = [page for page in pages if page is not None]
    ids = {page.pk for page in pages}
    hidden = hidden_pages(user)
    if hidden is None or not ids:
        return ids
    return ids - set(Page.objects.filter(hidden, pk__in=ids).values_list("pk", flat=True))


class ReleasePagePermissionTester(PagePermissionTester):
    """Wagtail's page permission tester for a page the user may see; 404 otherwise."""

    def __init__(self, user, page):
        if not page_visible(user, page):
            raise Http404("No such page.")
        super().__init__(user, page)


class ReleasePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, narrowed to the pages the release policy lets a user see."""

    def instances_user_has_any_permission_for(self, user, actions):
        return without_hidden(super().instances_user_has_any_permission_for(user, actions), user)

    def explorable_instances(self, user):
        return without_hidden(super().explorable_instances(user), user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not page_visible(user, instance):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


# -- One guard for admin URLs that name an object ----------------------------------------------

#: URL kwarg -> fn(user, value) -> whether the object it names is hidden from ``user``.
_ADMIN_OBJECTS: dict[str, Callable[[Any, Any], bool]] = {}


def register_admin_object(kwarg: str, hidden: Callable[[Any, Any], bool]) -> None:
    """Declare that admin URLs with the path kwarg ``kwarg`` (or ``namespace:kwarg``, for a
    kwarg as generic as ``pk``) name an object whose visibility ``hidden`` decides (the
    notices app registers its documents)."""
    _ADMIN_OBJECTS[kwarg] = hidden


#: URL name (``namespace:name``) -> fn(user, ids) -> whether one of the ``?id=`` objects is hidden.
_ADMIN_ID_LISTS: dict[str, Callable[[Any, list[str]], bool]] = {}


def register_admin_id_list(url_name: str, hidden: Callable[[Any, list[str]], bool]) -> None:
    """Declare that the admin URL ``url_name`` names objects by ``?id=`` parameters."""
    _ADMIN_ID_LISTS[url_name] = hidden


def _page_hidden(user, value) -> bool:
    try:
        page = Page.objects.get(pk=int(value))
    except (Page.DoesNotExist, ValueError, TypeError, OverflowError):
        return False  # the view answers 404 itself
    return not page_visible(user, page)


def _pages_hidden(user, values: Iterable[str]) -> bool:
    ids = set()
    for value in values:
        try:
            ids.add(int(value))
        except (ValueError, OverflowError):
            continue
    hidden = hidden_pages(user)
    return bool(ids and hidden is not None and Page.objects.filter(hidden, pk__in=ids).exists())


for _kwarg in (*PAGE_KWARGS, "wagtailadmin_api:pk"):
    register_admin_object(_kwarg, _page_hidden)
register_admin_id_list("wagtailadmin_choose_page_chosen_multiple", _pages_hidden)


class AdminReleaseGuard:
    """Middleware: 404 for any admin URL naming an object the release policy hides.

    Single-object admin URLs carry the object in a path kwarg (``page_id``, ``document_id``…);
    the admin API's page detail carries it as ``pk``; URLs generic over models name a page as
    ``wagtailcore``/``page`` with an ``object_id`` (editing sessions) or ``?id=`` parameters
    (bulk actions), and the page chooser's "chosen" endpoint takes ``?id=`` parameters too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix: str | None = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self._prefix is None:
            self._prefix = reverse("wagtailadmin_home")
        user = getattr(request, "user", None)
        if not request.path.startswith(self._prefix) or not policy._signed_in(user):
            return None
        if policy.is_officer(user):
            return None
        if self._hides(user, request, view_kwargs):
            raise Http404("No such item.")
        return None

    @staticmethod
    def _hides(user, request, view_kwargs) -> bool:
        match = request.resolver_match
        namespaces = match.namespaces if match is not None else []
        for kwarg, value in view_kwargs.items():
            for key in (kwarg, *(f"{namespace}:{kwarg}" for namespace in namespaces)):
                check = _ADMIN_OBJECTS.get(key)
                if check is not None and check(user, value):
                    return True
        about_pages = (view_kwargs.get("app_label"), view_kwargs.get("model_name")) == (
            "wagtailcore",
            "page",
        )
        if about_pages and "object_id" in view_kwargs:
            return _page_hidden(user, view_kwargs["object_id"])
        if about_pages:  # bulk actions on pages
            return _pages_hidden(user, request.GET.getlist("id"))
        check = _ADMIN_ID_LISTS.get(match.view_name) if match is not None else None
        return bool(check and check(user, request.GET.getlist("id")))


# -- Dashboard panels and moderation e-mails ----------------------------------------------------


def filter_homepage_panels(request, panels: list) -> None:
    """Wrap Wagtail's dashboard panels so that their page lists go through the policy."""
    from wagtail.admin.views import home

    wrappers = {
        home.UserObjectsInWorkflowModerationPanel: _filter_states("workflow_states"),
        home.WorkflowObjectsToModeratePanel: _filter_moderation,
        home.LockedPagesPanel: _filter_locked,
        home.RecentEditsPanel: _filter_recent,
    }
    for index, panel in enumerate(panels):
        for base, narrow in wrappers.items():
            if type(panel) is base:
                panels[index] = _narrowed(panel, narrow)


def _narrowed(panel, narrow):
    """``panel`` with its context narrowed by ``narrow(user, context)``."""
    original = panel.get_context_data

    def get_context_data(parent_context):
        context = original(parent_context)
        narrow(parent_context["request"].user, context)
        return context

    panel.get_context_data = get_context_data
    return panel


def _filter_states(key: str):
    def narrow(user, context) -> None:
        states = list(context.get(key) or [])
        seen = visible_page_ids(user, [s.content_object for s in states])
        context[key] = [s for s in states if s.content_object.pk in seen]

    return narrow


def _filter_moderation(user, context) -> None:
    states = context.get("states") or []
    seen = visible_page_ids(user, [row["obj"] for row in states])
    context["states"] = [row for row in states if row["obj"].pk in seen]


def _filter_locked(user, context) -> None:
    context["locked_pages"] = without_hidden(context["locked_pages"], user)


def _filter_recent(user, context) -> None:
    edits = context.get("last_edits") or []
    seen = visible_page_ids(user, [page for _when, page in edits])
    context["last_edits"] = [(when, page) for when, page in edits if page.pk in seen]


def _release_notifier(notifier):
    """A copy of one of Wagtail's moderation notifiers that mails only the recipients who may
    see the page (a requester who may no longer see it learns nothing of it)."""
    base = type(notifier)

    class ReleaseNotifier(base):
        def get_valid_recipients(self, instance, **kwargs):
            recipients = super().get_valid_recipients(instance, **kwargs)
            state = getattr(instance, "workflow_state", instance)
            page = getattr(state, "content_object", None)
            if page is None:
                return recipients
            page = page.specific if isinstance(page, Page) else page
            if type(page) not in policy.classified_models():
                return recipients
            return {user for user in recipients if policy.can_view(user, page)}

    return ReleaseNotifier()


def filter_moderation_mail() -> None:
    """Replace Wagtail's workflow e-mail receivers by release-aware ones (same dispatch ids)."""
    from wagtail.admin import signal_handlers as wagtail_mail
    from wagtail.models import TaskState, WorkflowState
    from wagtail.signals import (
        task_submitted,
        workflow_approved,
        workflow_rejected,
        workflow_submitted,
    )

    wiring = [
        (task_submitted, TaskState, "group_approval_task_submitted_email_notification",
         wagtail_mail.task_submission_email_notifier),
        (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification",
         wagtail_mail.workflow_submission_email_notifier),
        (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification",
         wagtail_mail.workflow_rejection_email_notifier),
        (workflow_approved, WorkflowState, "workflow_state_approved_email_notification",
         wagtail_mail.workflow_approval_email_notifier),
    ]  # fmt: skip
    for signal, sender, uid, notifier in wiring:
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(_release_notifier(notifier), sender=sender, dispatch_uid=uid, weak=False)


def install() -> None:
    """Put the release policy into Wagtail's registries (``ClassificationConfig.ready``)."""
    from wagtail.models import AbstractPage
    from wagtail.permissions import register_permission_policy

    register_permission_policy(AbstractPage, ReleasePagePermissionPolicy())
    filter_moderation_mail()


# -- The release settings, read-only in the editor ----------------------------------------------


class ReleasePanel(Panel):
    """The item's release tier and field tiers as they stand, with a link to the release page
    where classification officers change them. Nothing here is a form field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Release (set by classification officers)"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "classification/admin/release_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            obj = self.instance
            model = type(obj)
            decl = policy.declaration(model)
            fields = []
            for name in decl.field_tiers:
                fields.append(
                    {
                        "name": field_label(model, name),
                        "tier": Tier(policy.field_tier(obj, name)).label,
                        "own": name in (obj.field_tiers or {}),
                    }
                )
            context.update(
                {
                    "tier": Tier(obj.tier).label if obj.tier in Tier.values else obj.tier,
                    "fields": fields,
                    "saved": obj.pk is not None,
                    "is_officer": policy.is_officer(self.request.user),
                    "release_url": (
                        reverse(
                            "classification_item",
                            args=[model._meta.app_label, model._meta.model_name, obj.pk],
                        )
                        if obj.pk is not None
                        else ""
                    ),
                }
            )
            return context
