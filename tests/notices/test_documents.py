"""Attachments are Wagtail documents in private storage, served only through the policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from classification.models import AccessLog
from classification.tiers import Tier
from portal.notices.models import NoticeAttachment, sanitise_filename
from tests.factories import UserFactory, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(db):
    Document = get_document_model()
    doc = Document(title="技术规格书")
    doc.file.save("规格书 v2 (终版).pdf", ContentFile(b"%PDF-1.4 spec"), save=False)
    doc.save()
    return doc


def test_documents_have_no_public_media_url(document):
    assert "/media/" not in document.url
    assert document.url.startswith("/documents/")
    # The file sits under PRIVATE_MEDIA_ROOT, which no web server serves, not under MEDIA_ROOT.
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_restricted_attachment_is_404_for_anonymous_and_audited_for_vetted(
    client, make_notice, document, vetted
):
    notice = make_notice("公开需求附件", tier=Tier.PUBLIC)
    NoticeAttachment.objects.create(notice=notice, document=document, title="规格书")
    assert client.get(document.url).status_code == 404
    body = client.get(notice.url).content.decode()
    assert document.url not in body
    client.force_login(vetted)
    assert document.url in client.get(notice.url).content.decode()
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.4 spec"
    assert AccessLog.objects.filter(action="classification.document.downloaded").count() == 1


def test_public_attachment_field_serves_everyone(client, make_notice, document):
    notice = make_notice(
        "政策附件", kind="policy", tier=Tier.PUBLIC, field_tiers={"attachments": "public"}
    )
    NoticeAttachment.objects.create(notice=notice, document=document)
    assert client.get(document.url).status_code == 200


def test_orphan_documents_are_for_admins_only(client, document, editor):
    assert client.get(document.url).status_code == 404
    client.force_login(UserFactory(username="someone"))
    assert client.get(document.url).status_code == 404
    login_verified(client, UserFactory(username="root", is_superuser=True))
    assert client.get(document.url).status_code == 200


def test_file_names_are_sanitised(document):
    assert sanitise_filename("../../etc/passwd") == "passwd"
    assert sanitise_filename("规格书 v2 (终版).PDF") == "规格书_v2_终版.pdf"
    assert sanitise_filename(".htaccess") == "htaccess"
    assert "规格书_v2_终版" in document.file.name


def test_targeted_notice_attachment_reaches_its_grantee_only(
    client, make_notice, document, vetted, registered, officer
):
    from classification.changes import grant

    notice = make_notice("定向需求附件", tier=Tier.TARGETED)
    NoticeAttachment.objects.create(notice=notice, document=document)
    grant(officer, notice, registered)
    client.force_login(vetted)  # vetted, but not granted: the notice and its file do not exist
    assert client.get(document.url).status_code == 404
    client.force_login(registered)  # granted: reads the whole targeted notice, file included
    assert client.get(document.url).status_code == 200
    log = AccessLog.objects.get(action="classification.document.downloaded")
    assert log.user == registered and log.object_id == notice.pk


def test_draft_and_expired_notices_do_not_serve_their_attachments(
    client, make_notice, document, vetted
):
    from datetime import timedelta

    from django.utils import timezone

    draft = make_notice("草稿附件", publish=False)
    NoticeAttachment.objects.create(notice=draft, document=document)
    client.force_login(vetted)
    assert client.get(document.url).status_code == 404
    live = make_notice("过期附件")
    NoticeAttachment.objects.create(notice=live, document=document)
    assert client.get(document.url).status_code == 200
    type(live).objects.filter(pk=live.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    assert client.get(document.url).status_code == 404


def _upload(client, name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": "1"},
    )


def test_admin_uploads_are_limited_in_type_and_size_and_renamed(client, editor, author, settings):
    Document = get_document_model()
    login_verified(client, editor)
    refused = _upload(client, "setup.exe", b"MZ")
    assert refused.status_code == 200 and "file" in refused.context["form"].errors
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    too_big = _upload(client, "大文件.pdf", b"%PDF-1.4" + b"0" * 2048)
    assert too_big.status_code == 200 and "file" in too_big.context["form"].errors
    assert not Document.objects.exists()

    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
    assert _upload(client, "../规格书 (终版).PDF", b"%PDF-1.4 ok").status_code == 302
    stored = Document.objects.get()
    assert stored.file.name == "documents/规格书_终版.pdf"
    assert (
        Path(stored.file.path).resolve().is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    )
    # Procurement officers attach files to their demand notices too.
    login_verified(client, author)
    assert _upload(client, "需求说明.docx", b"PK\x03\x04").status_code == 302
    assert Document.objects.get(title="需求说明.docx").uploaded_by_user == author
