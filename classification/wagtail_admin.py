"""The release policy in the parts of the Wagtail admin that Wagtail builds outside its
permission policies: dashboard panels and counts, the locked-pages and page-types reports, and
the moderation e-mails. ``wagtail_policy`` holds the rule they apply (``without_hidden``,
``visible_page_ids``); ``wagtail_hooks`` and ``portal/urls.py`` plug these in.
"""

from __future__ import annotations

from django.http import Http404
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page

from . import policy
from .wagtail_policy import visible_page_ids, without_hidden


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


def _narrowed(panel, narrow, request=None):
    """``panel`` with its context narrowed by ``narrow(user, context)`` (the user of ``request``,
    or of the request in the parent context)."""
    original = panel.get_context_data

    def get_context_data(parent_context):
        context = original(parent_context)
        narrow((request or parent_context["request"]).user, context)
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


def filter_summary_items(request, items: list) -> None:
    """The dashboard's page count counts the pages the user may see."""
    from wagtail.admin.site_summary import PagesSummaryItem

    for item in items:
        if type(item) is PagesSummaryItem:
            _narrowed(item, _count_pages, request)


def _count_pages(user, context) -> None:
    from wagtail.admin.navigation import get_site_for_user

    root = get_site_for_user(user)["root_page"]
    if root is not None:
        pages = without_hidden(Page.objects.descendant_of(root, inclusive=True), user)
        context["total_pages"] = pages.count() - (1 if root.is_root() else 0)


class ReleaseLockedPagesView(LockedPagesView):
    """Wagtail's locked-pages report, where a page locked by the user that they may no longer
    see stays out like any other hidden page."""

    def get_queryset(self):
        return without_hidden(super().get_queryset(), self.request.user)


class OfficersPageTypesUsageView(PageTypesUsageReportView):
    """Counts of every page type and the last page edited of each: a view of the whole tree,
    for the people who see all of it (classification officers, administrators); 404 to others."""

    def dispatch(self, request, *args, **kwargs):
        if not policy.is_officer(request.user):
            raise Http404("No such report.")
        return super().dispatch(request, *args, **kwargs)


def admin_url_overrides() -> list:
    """URLs that take the place of Wagtail's own reports of the same paths (include them before
    the Wagtail admin's URLs): Wagtail builds these reports from queries outside its
    permission policies."""
    from django.urls import path
    from wagtail.admin.auth import require_admin_access

    views = [
        ("reports/locked/", ReleaseLockedPagesView),
        ("reports/page-types-usage/", OfficersPageTypesUsageView),
    ]
    return [
        path(f"admin/{route}{tail}", require_admin_access(view.as_view(results_only=bool(tail))))
        for route, view in views
        for tail in ("", "results/")
    ]


def filter_reports_menu(request, menu_items: list) -> None:
    if not policy.is_officer(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


def _release_notifier(notifier):
    """A copy of one of Wagtail's moderation notifiers that mails only the recipients who may
    see the page (a requester who may no longer see it learns nothing of it). Submissions to a
    task go to its approvers, who act on the page."""
    base = type(notifier)

    class ReleaseNotifier(base):
        def get_valid_recipients(self, instance, **kwargs):
            recipients = super().get_valid_recipients(instance, **kwargs)
            if hasattr(instance, "workflow_state"):
                # A task submitted to a group: its members act on the page from now on (the
                # signal comes before the workflow records its new current task).
                return recipients
            page = getattr(instance, "content_object", None)
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
