"""From the desk's form to a notice's content: what ``desk_forms.NoticeForm`` edits and how
it is put on a page (or a page built from a revision) in memory, before ``desk`` saves it.

The desk edits plain text (paragraphs, one requirement per line); blocks it does not edit
(tables written in the admin) are kept, and text that did not change keeps its blocks, so that
an edit on the desk does not rewrite what the admin's rich-text editor wrote.
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Collection

from .models import NoticeAttachment, NoticePage, NoticeQualification, PrivateDocument

LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def body_text(notice: NoticePage) -> str:
    """The paragraphs of the body as plain text, blank-line separated (the desk's field)."""
    return "\n\n".join(
        html.unescape(strip_tags(LINE_BREAK.sub("\n", child.value.source))).strip()
        for child in notice.body
        if child.block_type == "paragraph"
    )


def requirement_lines(notice: NoticePage) -> str:
    return "\n".join(
        item
        for child in notice.body
        if child.block_type == "requirements"
        for item in child.value["items"]
    )


def _lines(text: str) -> str:
    """Text as browsers send it (CRLF) and as the page stores it (LF) compares equal."""
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())


def set_body(notice: NoticePage, text: str, requirements: str) -> None:
    """Replace the paragraphs and requirements the desk edits, keeping other blocks (tables
    written in the admin); unchanged text keeps its blocks, so formatting survives."""
    text, requirements = _lines(text), _lines(requirements)
    keep_paragraphs = text == _lines(body_text(notice))
    keep_requirements = requirements == _lines(requirement_lines(notice))
    blocks: list[tuple[str, Any]] = []
    for child in notice.body:
        if child.block_type == "paragraph" and not keep_paragraphs:
            continue
        if child.block_type == "requirements" and not keep_requirements:
            continue
        blocks.append((child.block_type, child.block.get_prep_value(child.value)))
    if not keep_paragraphs:
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        new = [("paragraph", "<p>" + escape(p).replace("\n", "<br/>") + "</p>") for p in paragraphs]
        blocks = new + blocks
    if not keep_requirements:
        items = [line.strip() for line in requirements.splitlines() if line.strip()]
        if items:
            blocks.append(
                ("requirements", {"heading": _("Technical requirements"), "items": items})
            )
    notice.body = [{"type": kind, "value": value} for kind, value in blocks]


def _attach(notice: NoticePage, data: dict[str, Any], user) -> None:
    """Keep the attachments not marked for removal and add the uploads as private documents
    (served only through the release policy, ``notices.documents``)."""
    removed = {int(pk) for pk in data.get("remove_attachments") or []}
    rows = [
        NoticeAttachment(document=a.document, title=a.title)
        for a in notice.attachments.all()
        if a.document_id not in removed
    ]
    for upload in data.get("attachments") or []:
        document = PrivateDocument(
            title=upload.name[:200],
            file=upload,
            uploaded_by_user=user,
            collection=Collection.get_first_root_node(),
        )
        document._set_document_file_metadata()
        document.save()
        rows.append(NoticeAttachment(document=document, title=upload.name[:200]))
    notice.attachments = rows


def apply(notice: NoticePage, data: dict[str, Any], user) -> None:
    """Put the desk form's cleaned data on ``notice`` in memory (relations included, as
    modelcluster keeps them until save); uploads are stored as documents."""
    for name in (
        "title",
        "summary",
        "region",
        "region_required",
        "budget_min",
        "budget_max",
        "deadline",
        "contact_name",
        "contact_phone",
        "contact_email",
    ):
        setattr(notice, name, data[name])
    set_body(notice, data.get("body_text", ""), data.get("requirements", ""))
    notice.industries = list(data["industries"])
    levels = {
        q.qualification_type_id: q.minimum_level for q in notice.required_qualifications.all()
    }
    notice.required_qualifications = [
        NoticeQualification(qualification_type=kind, minimum_level=levels.get(kind.pk, ""))
        for kind in data["qualifications"]
    ]
    _attach(notice, data, user)
