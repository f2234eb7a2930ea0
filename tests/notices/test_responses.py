"""意向响应: who may respond, one per enterprise, edits until the deadline, e-mail, admin export."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from classification.tiers import Tier
from portal.notices.models import NoticePage, NoticeResponse
from tests.factories import EnterpriseFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db


def _respond(client, notice: NoticePage, message: str = "我司可供货北斗终端 200 台。", **extra):
    return client.post(f"/notices/respond/{notice.pk}/", {"message": message, **extra})


def test_vetted_enterprise_responds_and_the_author_is_told(
    client, make_notice, vetted, author, django_capture_on_commit_callbacks
):
    notice = make_notice(tier=Tier.VETTED)
    client.force_login(vetted)
    upload = SimpleUploadedFile("技术方案 v1.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        answer = _respond(client, notice, files=upload)
    assert answer.status_code == 302
    response = NoticeResponse.objects.get()
    assert response.enterprise.owners.filter(pk=vetted.pk).exists()
    assert [f.name for f in response.files.all()] == ["技术方案 v1.pdf"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [author.email]
    assert notice.title in mail.outbox[0].subject

    # The enterprise sees its own response and downloads its file; a stranger gets 404.
    assert notice.title in client.get("/notices/responses/").content.decode()
    file_url = f"/notices/responses/files/{response.files.get().pk}/"
    assert client.get(file_url).status_code == 200
    client.force_login(UserFactory(username="stranger"))
    assert client.get(file_url).status_code == 404


def test_one_response_per_enterprise_then_edits(client, make_notice, vetted):
    notice = make_notice()
    client.force_login(vetted)
    assert _respond(client, notice, "第一版").status_code == 302
    # The form now edits the same response instead of creating a second one.
    assert _respond(client, notice, "第二版").status_code == 302
    assert NoticeResponse.objects.get().message == "第二版"
    # The service refuses a second response with a clear message (and the DB would too).
    from portal.notices.responses import ResponseError, submit_response

    with pytest.raises(ResponseError) as refused:
        submit_response(notice, vetted, NoticeResponse.objects.get().enterprise, "再来一次")
    assert refused.value.code == "duplicate"


def test_who_may_not_respond(client, make_notice, registered):
    notice = make_notice()
    assert _respond(client, notice).status_code == 302  # anonymous: to the login page
    client.force_login(registered)
    page = client.get(notice.url).content.decode()
    assert (
        "Only enterprises whose profile a reviewer approved may respond." in page or "审核" in page
    )
    assert _respond(client, notice).status_code == 400
    # An owner of a profile that is not approved yet is not vetted either.
    draft_owner = UserFactory(username="draftowner")
    EnterpriseFactory(owners=[draft_owner], status="submitted")
    client.force_login(draft_owner)
    assert _respond(client, notice).status_code == 400
    assert not NoticeResponse.objects.exists()


def test_after_the_deadline_responses_are_refused(client, make_notice, vetted):
    notice = make_notice()
    client.force_login(vetted)
    _respond(client, notice, "截止前")
    NoticePage.objects.filter(pk=notice.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert _respond(client, notice, "截止后修改").status_code == 400
    assert NoticeResponse.objects.get().message == "截止前"
    other = UserFactory(username="late")
    EnterpriseFactory(owners=[other], name="迟到科技有限公司")
    login_verified(client, other)
    assert _respond(client, notice, "迟到的响应").status_code == 400
    assert NoticeResponse.objects.count() == 1


def test_supply_notices_take_no_responses(client, make_notice, vetted):
    notice = make_notice(kind="supply")
    client.force_login(vetted)
    assert _respond(client, notice).status_code == 404


def test_author_reads_and_exports_responses_in_the_admin(client, make_notice, vetted, author):
    notice = make_notice()
    client.force_login(vetted)
    _respond(client, notice, "可提供稀土永磁电机样机")
    other_author = UserFactory(username="otherauthor", roles=["procurement"])

    login_verified(client, author)
    listing = client.get("/admin/notice_responses/")
    assert listing.status_code == 200
    assert "南宁北斗星科技有限公司" in listing.content.decode()
    export = client.get("/admin/notice_responses/?export=xlsx")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.values)
    assert any("可提供稀土永磁电机样机" in (cell or "") for cell in rows[1])

    login_verified(client, other_author)
    assert "南宁北斗星科技有限公司" not in client.get("/admin/notice_responses/").content.decode()
    response = NoticeResponse.objects.get()
    assert client.get(f"/admin/notice_responses/inspect/{response.pk}/").status_code == 404


def test_the_mail_leaves_only_after_the_commit_through_the_mail_task(
    client, make_notice, vetted, author, django_capture_on_commit_callbacks
):
    notice = make_notice()
    client.force_login(vetted)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert _respond(client, notice, "可供货 80 台").status_code == 302
    # Nothing is sent inside the request's transaction: one task is queued for after commit.
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()  # the commit: Celery (eager in tests) runs portal.core.tasks.send_email
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    response = NoticeResponse.objects.get()
    assert "南宁北斗星科技有限公司" in message.body and "可供货 80 台" in message.body
    assert f"/admin/notice_responses/inspect/{response.pk}/" in message.body
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    # An edit does not mail the author again.
    with django_capture_on_commit_callbacks(execute=True):
        _respond(client, notice, "修改：可供货 100 台")
    assert len(mail.outbox) == 1


def test_refused_files_lose_nothing_and_say_why(client, make_notice, vetted):
    notice = make_notice()
    client.force_login(vetted)
    bad = SimpleUploadedFile("木马.exe", b"MZ", content_type="application/octet-stream")
    answer = _respond(client, notice, "附件被拒时正文仍在", files=bad)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "木马.exe" in page and "附件被拒时正文仍在" in page  # the message is kept in the form
    assert not NoticeResponse.objects.exists()
    six = [SimpleUploadedFile(f"方案{n}.pdf", b"%PDF-1.4") for n in range(6)]
    assert _respond(client, notice, "六个附件", files=six).status_code == 400
    assert not NoticeResponse.objects.exists()


def test_staff_read_every_response_authors_their_own(client, make_notice, vetted, editor, officer):
    notice = make_notice()
    client.force_login(vetted)
    _respond(client, notice, "可提供北斗终端样机")
    response = NoticeResponse.objects.get()
    for staff in (editor, officer):
        login_verified(client, staff)
        assert "南宁北斗星科技有限公司" in client.get("/admin/notice_responses/").content.decode()
        inspect = client.get(f"/admin/notice_responses/inspect/{response.pk}/")
        assert inspect.status_code == 200 and "可提供北斗终端样机" in inspect.content.decode()
    # An enterprise user does not get into the admin's responses at all.
    client.force_login(vetted)
    assert client.get("/admin/notice_responses/").status_code in (302, 403)
