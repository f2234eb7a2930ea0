"""Publishing a paper goes through moderation: editor submits, the classification officer checks
the tier, the publisher approves; approval publishes and queues the PDF."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.http import Http404

from portal.accounts import roles
from portal.papers.models import PaperIndexPage, PaperPage, PaperPdf, PdfStatus

from .conftest import short_blocks


def _member(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "Pw-2026-x!")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.django_db
def test_editor_submits_officer_and_publisher_approve(
    make_paper, django_user_model, django_capture_on_commit_callbacks
) -> None:
    editor = _member(django_user_model, "paper-editor", roles.EDITOR)
    officer = _member(django_user_model, "paper-officer", roles.CLASSIFICATION_OFFICER)
    publisher = _member(django_user_model, "paper-publisher", "publisher")
    paper = make_paper(short_blocks(), publish=False, build_pdf=False, owner=editor)
    index = PaperIndexPage.objects.get()

    assert index.permissions_for_user(editor).can_add_subpage()
    assert not paper.permissions_for_user(editor).can_publish()
    # The publisher acts at the last step only: before it the editor's draft is not theirs.
    with pytest.raises(Http404):
        paper.permissions_for_user(publisher)

    workflow = paper.get_workflow()
    assert workflow is not None and workflow.name == "白皮书发布"
    state = workflow.start(paper, editor)
    for approver in (officer, publisher):
        task_state = state.current_task_state
        # Each approver sees the paper when it waits for them (no 404 from the tester).
        approver = django_user_model.objects.get(pk=approver.pk)  # a new request's user
        assert paper.permissions_for_user(approver).can_publish() is (approver == publisher)
        assert approver.groups.filter(pk__in=task_state.task.specific.groups.all()).exists()
        with django_capture_on_commit_callbacks(execute=True):
            task_state.task.specific.on_action(task_state, approver, "approve")
        state.refresh_from_db()
    paper = PaperPage.objects.get(pk=paper.pk)
    assert paper.live
    assert PaperPdf.objects.get(page=paper, revision=paper.live_revision).status == PdfStatus.READY
