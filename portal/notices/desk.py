"""The procurement desk (需求发布台): procurement officers write and manage demand notices on
the site, and owners of approved enterprises their offers, through the same Wagtail workflow
as the admin.

Each operation is one locked, permission-checked function, like ``enterprises.workflow``:
- ``create_draft`` / ``save_edit``: a new Wagtail revision; a draft page is not live, and an
  edit of a live notice leaves the live version as it is until the workflow publishes the new
  revision (its amendment waits with it, ``amendments.record_edit``);
- ``submit``: starts the notice's workflow (定密审核 → 发布审批), or resumes it after a return;
  ``cancel``: takes a submission back before it is decided;
- ``withdraw``: unpublishes; ``change_deadline``: closes early or extends, at once, as an
  amendment.
What the form puts on the page is ``desk_content``'s. Release settings are not touched here:
a new notice starts vetted (``Classified.save``) and only ``classification.changes`` changes
that, at the 定密审核 step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import WorkflowState

from classification import policy
from portal.accounts import roles

from . import amendments, desk_content
from .models import Kind, NoticeIndexPage, NoticePage
from .slugs import unique_slug


class DeskError(Exception):
    """An operation the notice's state does not allow, with a message for the author."""


#: Status codes and their labels, in the order a notice passes them.
STATUS_LABELS = {
    "draft": gettext_lazy("Draft"),
    "classifying": gettext_lazy("In classification review"),
    "approving": gettext_lazy("Awaiting publication approval"),
    "returned": gettext_lazy("Returned"),
    "live": pgettext_lazy("desk status", "Published"),
    "closed": gettext_lazy("Closed"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


def desk_kinds(user) -> list[str]:
    """The kinds of notice ``user`` writes on the desk (``docs/desk.md``): procurement officers
    demands (军队需求), owners of an approved enterprise their offers (民口供给, 技术转移)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    kinds = []
    if roles.PROCUREMENT in roles.role_names(user):
        kinds.append(Kind.DEMAND)
    if policy.enterprise_ids(user):
        kinds += [Kind.SUPPLY, Kind.TRANSFER]
    return kinds


def may_use_desk(user) -> bool:
    return bool(desk_kinds(user))


#: What the desk calls its list and its "new" button, by what the user writes.
LABELS = {
    "demand": {"index": gettext_lazy("My demands"), "create": gettext_lazy("Publish a demand")},
    "offer": {"index": gettext_lazy("My offers"), "create": gettext_lazy("Publish an offer")},
    "both": {"index": gettext_lazy("My notices"), "create": gettext_lazy("Publish a notice")},
}


def desk_labels(user) -> dict:
    """The list's and the button's names for what ``user`` writes."""
    kinds = desk_kinds(user)
    if kinds == [Kind.DEMAND]:
        return LABELS["demand"]
    return LABELS["both"] if Kind.DEMAND in kinds else LABELS["offer"]


def may_edit_on_desk(user, notice: NoticePage) -> bool:
    """The author, while they may use the desk; everyone else edits (if at all) in the admin."""
    return may_use_desk(user) and notice.owner_id == user.pk


def my_notices(user) -> QuerySet:
    """The notices ``user`` wrote, through the release policy (authors see theirs in every
    state)."""
    return policy.visible(NoticePage.objects.filter(owner=user), user)


def get_own_notice_or_404(user, pk: Any) -> NoticePage:
    return policy.get_visible_or_404(NoticePage.objects.filter(owner=user), user, pk=pk)


# -- Status -----------------------------------------------------------------------------------


@dataclass
class DeskStatus:
    code: str
    step: str = ""  # the workflow step a live notice's change waits for, if any
    comment: str = ""  # the reviewer's comment when returned
    reviewer: str = ""

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.code])

    @property
    def step_label(self) -> str:
        return str(STATUS_LABELS[self.step]) if self.step else ""

    @property
    def in_review(self) -> bool:
        return "approving" in (self.code, self.step) or "classifying" in (self.code, self.step)


def _step(state: WorkflowState) -> str:
    """定密审核 is the task of the classification officers' group; every later one approves."""
    task = state.current_task_state.task.specific if state.current_task_state else None
    groups = set(task.groups.values_list("name", flat=True)) if hasattr(task, "groups") else set()
    return "classifying" if roles.CLASSIFICATION_OFFICER in groups else "approving"


def active_workflow(notice: NoticePage) -> WorkflowState | None:
    return (
        WorkflowState.objects.for_instance(notice)
        .active()
        .select_related("current_task_state__task")
        .first()
    )


def status_of(notice: NoticePage) -> DeskStatus:
    """Where ``notice`` stands: 草稿, 定密审核中, 发布审批中, 已退回, 已发布, 已截止, 已撤回."""
    state = active_workflow(notice)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        task_state = state.current_task_state
        reviewer = task_state.finished_by if task_state else None
        return DeskStatus(
            "returned",
            comment=(task_state.comment if task_state else "") or "",
            reviewer=(reviewer.get_full_name() or reviewer.username) if reviewer else "",
        )
    step = _step(state) if state is not None else ""
    if notice.live:
        return DeskStatus("live" if notice.is_open else "closed", step=step)
    if step:
        return DeskStatus(step)
    if notice.first_published_at is not None:
        return DeskStatus("withdrawn")
    return DeskStatus("draft")


# -- Writing ----------------------------------------------------------------------------------


def _require_desk(user, notice: NoticePage | None = None) -> None:
    if not may_use_desk(user) or (notice is not None and notice.owner_id != user.pk):
        raise Http404("No such notice.")


def create_draft(user, data: dict[str, Any]) -> NoticePage:
    """A new notice as a draft: a page that is not live, and its first revision."""
    _require_desk(user)
    kind = data.get("kind") or Kind.DEMAND
    if kind not in desk_kinds(user):
        raise DeskError(_("You may not publish this kind of notice."))
    index = NoticeIndexPage.objects.get()
    notice = NoticePage(kind=kind, owner=user, live=False)
    with transaction.atomic():
        desk_content.apply(notice, data, user)
        notice.slug = unique_slug(notice.title, index)
        index.add_child(instance=notice)
        notice.save_revision(user=user, log_action=True)
    return notice


def _locked(notice: NoticePage) -> NoticePage:
    return NoticePage.objects.select_for_update().get(pk=notice.pk)


def save_edit(user, notice: NoticePage, data: dict[str, Any], reason: str = "") -> NoticePage:
    """Save the author's changes as a new revision.

    A live notice stays as published until the workflow publishes the revision; what changed
    becomes an amendment with ``reason`` (required then). A notice in review cannot be edited:
    its reviewers are looking at that version.
    """
    _require_desk(user, notice)
    with transaction.atomic():
        current = _locked(notice)
        if status_of(current).in_review:
            raise DeskError(_("The notice is in review; take the submission back to edit it."))
        live = current.live
        before, old_deadline = amendments.snapshot(current), current.deadline
        draft = current.get_latest_revision_as_object()
        desk_content.apply(draft, data, user)
        changes = amendments.changed_fields(before, draft) if live else []
        if live and not changes:
            raise DeskError(_("Nothing changed compared with the published notice."))
        if live and not reason.strip():
            raise DeskError(_("Say briefly why the notice changes: readers see it."))
        if not live:
            draft.save()
        revision = draft.save_revision(user=user, log_action=True)
        if live:
            amendments.record_edit(
                current, revision, user, changes, reason.strip(), old_deadline=old_deadline
            )
    return draft


def submit(user, notice: NoticePage) -> None:
    """Into the workflow: resume it after a return, else start it on the latest revision."""
    _require_desk(user, notice)
    with transaction.atomic():
        current = _locked(notice)
        state = active_workflow(current)
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user)
            return
        if state is not None:
            raise DeskError(_("The notice is already in review."))
        if current.live and not current.has_unpublished_changes:
            raise DeskError(_("Nothing to submit: edit the notice first."))
        workflow = current.get_workflow()
        if workflow is None:  # pragma: no cover - the index always carries it (migration 0003)
            raise DeskError(_("No publishing workflow is set up for notices."))
        workflow.start(current, user)


def cancel(user, notice: NoticePage) -> None:
    """Take a submission back before its last approval (the version stays a draft)."""
    _require_desk(user, notice)
    with transaction.atomic():
        state = active_workflow(_locked(notice))
        if state is None:
            raise DeskError(_("The notice is not in review."))
        state.cancel(user=user)


def withdraw(user, notice: NoticePage) -> None:
    """Unpublish (撤回): readers no longer find the notice; the author may publish it again."""
    _require_desk(user, notice)
    with transaction.atomic():
        current = _locked(notice)
        if not current.live:
            raise DeskError(_("Only a published notice can be withdrawn."))
        state = active_workflow(current)
        if state is not None:
            state.cancel(user=user)
        # Wagtail ties unpublishing to the right to publish, which only the workflow's last
        # approvers hold; taking one's own notice off the site is the author's right here.
        UnpublishPageAction(current, user=user, log_action=True).execute(
            skip_permission_checks=True
        )


def change_deadline(
    user, notice: NoticePage, deadline: datetime, reason: str, close: bool = False
) -> None:
    """Close early (deadline now) or move the deadline, at once, as a published amendment.

    The deadline is written to the live page and to its revisions in waiting, so that a later
    publication does not bring the old one back.
    """
    _require_desk(user, notice)
    now = timezone.now()
    if close:
        deadline = now
    elif deadline is None or deadline <= now:
        raise DeskError(_("The new deadline must lie in the future."))
    if not reason.strip():
        raise DeskError(_("Say briefly why the deadline changes: readers see it."))
    with transaction.atomic():
        current = _locked(notice)
        if not current.live:
            raise DeskError(_("Only a published notice has a deadline to change."))
        if close and not current.is_open:
            raise DeskError(_("The notice is already closed."))
        old = current.deadline
        current.deadline = deadline
        current.save(update_fields=["deadline"])
        for revision in {current.live_revision, current.latest_revision} - {None}:
            revision.content["deadline"] = deadline.isoformat()
            revision.save(update_fields=["content"])
        amendments.record_deadline(current, user, old, deadline, reason.strip(), closed=close)
