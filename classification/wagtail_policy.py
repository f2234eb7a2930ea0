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
- Dashboard panels and counts, two reports Wagtail builds outside its permission policies, and
  Wagtail's moderation e-mails go through the policy too (``wagtail_admin``).
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


def _acting_states():
    """Wagtail workflow states whose current task's approvers act on their page now: those in
    progress, and those approved whose revision is not published yet (at once, or at a
    scheduled go-live): publishing is part of the last approvers' act, and Wagtail checks their
    right to publish the page while it does so."""
    from wagtail.models import WorkflowState

    unpublished_since = Page.objects.filter(
        Q(last_published_at__isnull=True)
        | Q(last_published_at__lt=OuterRef("current_task_state__finished_at")),
        pk=Cast(OuterRef("object_id"), BigIntegerField()),
    )
    return (
        WorkflowState.objects.filter(base_content_type=ContentType.objects.get_for_model(Page))
        .annotate(pending=Exists(unpublished_since))
        .filter(
            Q(status=WorkflowState.STATUS_IN_PROGRESS)
            | Q(status=WorkflowState.STATUS_APPROVED, pending=True)
        )
    )


#: From a workflow state to the groups of its current task (a group approval task).
TASK_GROUPS = "current_task_state__task__groupapprovaltask__groups"


def workflow_step_actors(model, user) -> Q | None:
    """Pages whose current workflow task is a group approval by one of ``user``'s groups
    (定密审核 by classification officers, 发布审批 by publishers): ``Classification.acting``."""
    groups = policy.group_ids(user)
    if not groups:
        return None
    states = _acting_states().filter(**{f"{TASK_GROUPS}__in": groups})
    return Q(pk__in=states.annotate(item=Cast("object_id", BigIntegerField())).values("item"))


def workflow_step_principals(model, ids: list[int]) -> dict[int, set[str]]:
    """The same people as principals for the search index: per page id, ``g:<group>`` of the
    groups acting on it now (``Classification.acting_principals``)."""
    states = _acting_states().filter(object_id__in=[str(pk) for pk in ids])
    found: dict[int, set[str]] = {}
    for object_id, group_id in states.values_list("object_id", TASK_GROUPS):
        if group_id is not None:
            found.setdefault(int(object_id), set()).add(f"g:{group_id}")
    return found


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

#: URL kwarg key -> fn(user, value) -> whether the object it names is hidden from ``user``.
_ADMIN_OBJECTS: dict[str, Callable[[Any, Any], bool]] = {}
#: URL name or model label -> fn(user, ids) -> whether one of the ``?id=`` objects is hidden.
_ADMIN_ID_LISTS: dict[str, Callable[[Any, list[str]], bool]] = {}


def register_admin_object(key: str, hidden: Callable[[Any, Any], bool]) -> None:
    """Declare that admin URLs with a path kwarg name an object whose visibility ``hidden``
    decides. ``key`` is the kwarg (``page_id``), or, for a kwarg as generic as ``pk``, the
    URL's namespace or full view name and the kwarg (``notice_responses:pk``)."""
    _ADMIN_OBJECTS[key] = hidden


def register_admin_id_list(key: str, hidden: Callable[[Any, list[str]], bool]) -> None:
    """Declare that an admin URL names objects by ``?id=`` parameters: ``key`` is its full
    view name, or the ``app_label.model_name`` of the model its bulk actions act on."""
    _ADMIN_ID_LISTS[key] = hidden


def url_ids(values: Iterable[Any]) -> list[int]:
    """The ids among URL values that can name a row (others name nothing: the view's 404)."""
    ids = []
    for value in values:
        try:
            number = int(value)
        except (ValueError, TypeError):
            continue
        if 0 < number < 2**63:
            ids.append(number)
    return ids


def hidden_among(rows: QuerySet, shown: QuerySet, values: Iterable[Any]) -> bool:
    """Whether one of the rows the URL values name exists but is not among those ``shown``
    (a guard answer: rows that do not exist are left to the view's own 404)."""
    ids = url_ids(values)
    return bool(ids) and rows.filter(pk__in=ids).exclude(pk__in=shown.values("pk")).exists()


def _page_hidden(user, value) -> bool:
    return _pages_hidden(user, [value])


def _pages_hidden(user, values: Iterable[str]) -> bool:
    ids = url_ids(values)
    hidden = hidden_pages(user)
    return bool(ids and hidden is not None and Page.objects.filter(hidden, pk__in=ids).exists())


for _kwarg in (*PAGE_KWARGS, "wagtailadmin_api:pages:pk"):
    register_admin_object(_kwarg, _page_hidden)
for _key in ("wagtailadmin_choose_page_chosen_multiple", "wagtailcore.page"):
    register_admin_id_list(_key, _pages_hidden)


class AdminReleaseGuard:
    """Middleware: 404 for any admin URL naming an object the release policy hides.

    Single-object admin URLs carry the object in a path kwarg (``page_id``, ``document_id``,
    or ``pk`` in a namespace that says what it is); URLs generic over models name a page as
    ``wagtailcore``/``page`` with an ``object_id`` (editing sessions), bulk actions name their
    objects by ``?id=`` parameters, and so do the choosers' "chosen" endpoints.
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
        if not request.path.startswith(self._prefix) or not (user and user.is_authenticated):
            return None
        if policy.is_officer(user):
            return None
        if self._hides(user, request, view_kwargs):
            raise Http404("No such item.")
        return None

    @staticmethod
    def _hides(user, request, view_kwargs) -> bool:
        match = request.resolver_match
        scopes = [match.namespace, match.view_name] if match is not None else []
        for kwarg, value in view_kwargs.items():
            for key in (kwarg, *(f"{scope}:{kwarg}" for scope in scopes if scope)):
                check = _ADMIN_OBJECTS.get(key)
                if check is not None and check(user, value):
                    return True
        model = f"{view_kwargs.get('app_label')}.{view_kwargs.get('model_name')}"
        if model == "wagtailcore.page" and "object_id" in view_kwargs:
            return _page_hidden(user, view_kwargs["object_id"])
        check = _ADMIN_ID_LISTS.get(model)  # bulk actions on that model
        if check is None and match is not None:
            check = _ADMIN_ID_LISTS.get(match.view_name)
        return bool(check and check(user, request.GET.getlist("id")))


def install() -> None:
    """Put the release policy into Wagtail's registries (``ClassificationConfig.ready``)."""
    from wagtail.models import AbstractPage
    from wagtail.permissions import register_permission_policy

    from .wagtail_admin import filter_moderation_mail

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
            for name in decl.sensitive_names():
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
