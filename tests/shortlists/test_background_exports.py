"""Exports built in the background: asked for, polled, downloaded, private, rebuilt when the list
changes; and "加入候选名单" answered as JSON for the script that adds without a reload."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from classification import sharing
from portal.core import builds
from portal.shortlists import changes
from portal.shortlists.models import ShortlistExport
from tests.factories import EnterpriseFactory

from .conftest import Cast, client_for, download, pdf_text

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _build(client, pk: int, kind: str = "pdf"):
    """Press the export button as the script does; returns its answer, the callbacks queued
    after the commit (run: the eager task builds the file) and the status polled after."""
    url = reverse(f"shortlists:export_{kind}_build", args=[pk])
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        response = client.post(url, **JSON)
    status = client.get(reverse(f"shortlists:export_{kind}_status", args=[pk])).json()
    return response, callbacks, status


def test_the_first_request_answers_at_once_and_the_page_polls(cast: Cast) -> None:
    client = client_for(cast.officer)
    url = reverse("shortlists:export_pdf", args=[cast.shortlist.pk])
    status_url = reverse("shortlists:export_pdf_status", args=[cast.shortlist.pk])
    assert client.get(status_url).json()["state"] == "none"
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        waiting = client.get(url)
    assert waiting.status_code == 202 and len(callbacks) == 1  # one build queued
    html = waiting.content.decode()
    assert "<progress" in html and f'data-status-url="{status_url}"' in html
    assert "js/build-progress.js" in html and 'http-equiv="refresh"' not in html
    queued = client.get(status_url).json()
    assert queued["state"] == "queued" and queued["download_url"] is None
    callbacks[0]()  # the worker runs the task
    ready = client.get(status_url).json()
    assert ready == {
        "state": "ready",
        "progress": 100,
        "message": ready["message"],
        "download_url": url,
    }
    assert client.get(url).content.startswith(b"%PDF")


def test_the_export_button_posts_and_gets_the_status(cast: Cast) -> None:
    client = client_for(cast.officer)
    response, callbacks, body = _build(client, cast.shortlist.pk, "xlsx")
    assert len(callbacks) == 1
    assert response.status_code == 200 and response.json()["state"] == "queued"
    assert body["state"] == "ready"
    assert body["download_url"] == reverse("shortlists:export_xlsx", args=[cast.shortlist.pk])
    # Without JavaScript the form leads to the export page.
    plain = client.post(reverse("shortlists:export_xlsx_build", args=[cast.shortlist.pk]))
    assert plain.status_code == 302 and plain["Location"] == body["download_url"]


def test_an_unchanged_list_is_not_built_again(cast: Cast) -> None:
    client = client_for(cast.officer)
    _build(client, cast.shortlist.pk)
    built = ShortlistExport.objects.get()
    again, callbacks, _status = _build(client, cast.shortlist.pk)
    assert callbacks == [] and again.json()["state"] == "ready"
    assert ShortlistExport.objects.get().built_at == built.built_at


def test_a_changed_list_is_built_again_before_download(cast: Cast, tmp_path) -> None:
    client = client_for(cast.officer)
    assert download(client, cast.shortlist.pk, "pdf").status_code == 200
    entry = cast.shortlist.entries.get(enterprise=cast.second)
    changes.set_note(entry, "新增备注：可供样机")
    url = reverse("shortlists:export_pdf", args=[cast.shortlist.pk])
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        stale = client.get(url)
    assert stale.status_code == 202 and len(callbacks) == 1  # never the outdated file
    assert "新增备注：可供样机" in pdf_text(client.get(url).content, tmp_path)


def test_the_file_is_private_and_each_reader_has_their_own(cast: Cast) -> None:
    changes.share(cast.shortlist, cast.team, sharing.VIEW)
    download(client_for(cast.officer), cast.shortlist.pk, "pdf")
    download(client_for(cast.colleague), cast.shortlist.pk, "pdf")
    files = ShortlistExport.objects.order_by("pk")
    assert [f.requested_by for f in files] == [cast.officer, cast.colleague]
    for export in files:
        path = Path(export.file.path).resolve()
        assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
        with pytest.raises(NotImplementedError):
            export.file.url  # noqa: B018 - private files have no address
    # Someone the list is not shared with learns nothing, not even that a file exists.
    status = reverse("shortlists:export_pdf_status", args=[cast.shortlist.pk])
    assert client_for(cast.outsider).get(status).status_code == 404
    # Unsharing ends the colleague's access to their own file too.
    changes.unshare(cast.shortlist, cast.team)
    url = reverse("shortlists:export_pdf", args=[cast.shortlist.pk])
    assert client_for(cast.colleague).get(url).status_code == 404


def test_deleting_the_list_deletes_its_files(cast: Cast) -> None:
    download(client_for(cast.officer), cast.shortlist.pk, "xlsx")
    path = Path(ShortlistExport.objects.get().file.path)
    assert path.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        changes.delete(cast.shortlist)
    assert not path.exists() and not ShortlistExport.objects.exists()


def test_a_failed_build_says_so_and_the_next_request_retries(cast: Cast, monkeypatch) -> None:
    from portal.shortlists import pdf

    def broken(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    client = client_for(cast.officer)
    failed = _build(client, cast.shortlist.pk)[2]
    assert failed["state"] == "failed" and failed["download_url"] is None
    with translation.override("zh-hans"):
        assert failed["message"] == str(builds.STAGES["failed"])
    monkeypatch.undo()
    _response, callbacks, retried = _build(client, cast.shortlist.pk)
    assert len(callbacks) == 1 and retried["state"] == "ready"


def test_add_answers_json_for_the_script(cast: Cast) -> None:
    third = EnterpriseFactory(name="钦州北斗海事设备有限公司")
    client = client_for(cast.officer)
    data = {"enterprise": third.pk, "shortlist": cast.shortlist.pk, "next": "/suppliers/"}
    response = client.post(reverse("shortlists:add"), data, **JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["shortlist"] == {
        "id": cast.shortlist.pk,
        "name": "北斗终端候选",
        "url": reverse("shortlists:detail", args=[cast.shortlist.pk]),
    }
    assert body["on"] == ["北斗终端候选"] and "钦州北斗海事设备有限公司" in body["message"]
    # No message waits for the next page: the script showed it already.
    assert not list(client.get(reverse("shortlists:index")).context["messages"])
    again = client.post(reverse("shortlists:add"), data, **JSON)
    assert again.status_code == 400
    error = again.json()["error"]
    assert error["code"] == "invalid" and error["message"]
    assert set(error) == {"code", "message", "fields"}


def test_add_as_json_without_the_csrf_token_is_refused(cast: Cast) -> None:
    client = client_for(cast.officer)
    client.handler.enforce_csrf_checks = True
    third = EnterpriseFactory()
    data = {"enterprise": third.pk, "shortlist": cast.shortlist.pk}
    assert client.post(reverse("shortlists:add"), data, **JSON).status_code == 403
    token = client.get(reverse("shortlists:detail", args=[cast.shortlist.pk])).context["csrf_token"]
    ok = client.post(reverse("shortlists:add"), data, HTTP_X_CSRFTOKEN=str(token), **JSON)
    assert ok.status_code == 200
